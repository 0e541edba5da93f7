"""Booking API: tokens, availability, booking (idempotent), my bookings, cancel. Thin over services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from centres import selectors as centre_selectors
from centres.hours import local_today
from centres.models import Centre
from erozgar.idempotency import idempotent
from erozgar.ids import parse_id
from erozgar.schema import ErrorSerializer

from . import selectors, services
from .models import Booking, Source
from .serializers import (
    AvailabilityQuerySerializer,
    AvailabilitySerializer,
    BookingRequestSerializer,
    BookingSerializer,
    CancelRequestSerializer,
    availability_data,
)

_ERROR = ErrorSerializer
_CONFLICT = inline_serializer(
    "BookingConflict",
    fields={
        **ErrorSerializer().get_fields(),
        "alternatives": inline_serializer(
            "BookingAlternatives",
            fields={
                "spaces": serializers.ListField(child=serializers.DictField()),
                "times": serializers.ListField(child=serializers.DictField()),
            },
        ),
    },
)
_NOT_FOUND = OpenApiResponse(description="No such thing, or it is someone else's")


def _centre(key: str) -> Centre:
    key = str(key)
    qs = centre_selectors.visible_centres()
    pk = parse_id(key)
    centre = qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=key).first()
    if centre is None:
        raise Http404
    return centre


class AvailabilityView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "key", OpenApiTypes.STR, OpenApiParameter.PATH, description="Centre id (or slug)"
            ),
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Local day (Asia/Karachi); today if left out"
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, description="Only spaces of this kind"),
        ],
        responses={200: AvailabilitySerializer, 400: _ERROR, 404: _NOT_FOUND},
        tags=["bookings"],
        summary="Each space of a centre with its free intervals on a day",
    )
    def get(self, request: Request, key: str) -> Response:
        centre = _centre(key)
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or local_today()
        kind = query.validated_data.get("kind")
        if centre.is_bookable:
            result = selectors.availability(centre, day, kind, with_slots=False)
        else:
            result = selectors.DayAvailability(centre, day, [], [], [])
        return Response(availability_data(result))  # AvailabilitySerializer's shape, built directly


class BookingListCreateView(generics.ListAPIView):
    serializer_class = BookingSerializer

    def get_queryset(self) -> QuerySet[Booking]:
        upcoming = self.request.query_params.get("upcoming", "").lower()
        if upcoming in ("true", "1", "yes"):
            return selectors.bookings_for_user(self.request.user, upcoming=True)
        if upcoming in ("false", "0", "no"):
            return selectors.bookings_for_user(self.request.user, upcoming=False)
        return selectors.bookings_for_user(self.request.user)

    @extend_schema(
        tags=["bookings"],
        summary="Your own bookings, newest first",
        parameters=[
            OpenApiParameter(
                "upcoming",
                OpenApiTypes.BOOL,
                description=(
                    "true: only active bookings not yet ended (soonest first); false: past and cancelled"
                ),
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=BookingRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string; a retried POST with the same key returns the first answer",
            )
        ],
        responses={
            201: BookingSerializer,
            400: _ERROR,
            409: _CONFLICT,
            422: OpenApiResponse(_ERROR, description="The Idempotency-Key was used for a different request"),
        },
        tags=["bookings"],
        summary="Book a space (409 when any part of the time is taken)",
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, self, lambda: self._book(request))

    def _book(self, request: Request) -> Response:
        payload = BookingRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        booking = services.booking_create(
            user=request.user,
            space=data["space"],  # an id: booking_create reads the space once, with its centre's rules
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            product=data.get("product") or "hourly",
            source=Source.API,
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailView(APIView):
    @extend_schema(responses={200: BookingSerializer, 404: _NOT_FOUND}, tags=["bookings"])
    def get(self, request: Request, key: str) -> Response:
        return Response(BookingSerializer(_own(request, key)).data)


def _own(request: Request, key: str) -> Booking:
    booking = selectors.booking_for_user(request.user, key)
    if booking is None:
        raise Http404
    return booking


class BookingCancelView(APIView):
    @extend_schema(
        request=CancelRequestSerializer,
        responses={200: BookingSerializer, 400: _ERROR, 404: _NOT_FOUND, 409: _ERROR},
        tags=["bookings"],
        summary="Cancel your booking (before the centre's cut-off)",
    )
    def post(self, request: Request, key: str) -> Response:
        booking = _own(request, key)
        payload = CancelRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        booking = services.booking_cancel(
            booking=booking, actor=request.user, reason=payload.validated_data["reason"]
        )
        return Response(BookingSerializer(booking).data)
