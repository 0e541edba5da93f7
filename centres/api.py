"""REST API for the directory: public reads, manager writes. Thin over selectors and services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from centres import selectors, services
from centres.forms import DirectoryFilterForm
from centres.models import Centre, Province, Space, SpaceKind
from centres.serializers import (
    BookingRulesSerializer,
    BookingRulesWriteSerializer,
    CentreDetailSerializer,
    CentreListSerializer,
    ClosureSerializer,
    HoursWriteSerializer,
    OpeningHoursSerializer,
    RateCardResultSerializer,
    RateCardSerializer,
    SpaceSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Words found in the name, city, address or description"
    ),
    OpenApiParameter("province", OpenApiTypes.STR, enum=Province.values),
    OpenApiParameter("city", OpenApiTypes.STR, description="City name (exact, any case)"),
    OpenApiParameter("tier", OpenApiTypes.INT, enum=[1, 2, 3]),
    OpenApiParameter("facility", OpenApiTypes.STR, description="Facility code, e.g. backup-power"),
    OpenApiParameter(
        "kind", OpenApiTypes.STR, enum=SpaceKind.values, description="Has a space of this kind in service"
    ),
    OpenApiParameter("open_now", OpenApiTypes.BOOL, description="Open at this moment (Asia/Karachi)"),
]
CENTRE_KEY = OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, description="Centre id or slug")


class CentrePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def _centre_for_manager(request: Request, key: str) -> Centre:
    centre = selectors.centre_by_key(key, public=False)
    if centre is None:
        raise Http404
    services.ensure_manager(request.user, centre)
    return centre


class CentreListView(generics.ListAPIView):
    """Public directory search; the same filters and rules as the /centres/ page."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CentreListSerializer
    pagination_class = CentrePagination

    def get_queryset(self) -> QuerySet[Centre]:
        facilities = [(f.code, f.code) for f in selectors.all_facilities()]
        form = DirectoryFilterForm(self.request.query_params, facilities=facilities)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        return selectors.search_centres(form.filters())

    @extend_schema(
        operation_id="centres_list", summary="Search the centre directory", parameters=FILTER_PARAMETERS
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CentreDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="centres_retrieve",
        summary="A centre with its hours, facilities, spaces and booking rules",
        parameters=[CENTRE_KEY],
        responses=CentreDetailSerializer,
    )
    def get(self, request: Request, key: str) -> Response:
        centre = selectors.centre_by_key(key)
        if centre is None:
            raise Http404
        context = {"closures": selectors.upcoming_closures(centre), "request": request}
        return Response(CentreDetailSerializer(centre, context=context).data)


class CentreHoursView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_hours_replace",
        summary="Replace the weekly opening hours (centre managers)",
        parameters=[CENTRE_KEY],
        request=HoursWriteSerializer,
        responses=OpeningHoursSerializer(many=True),
    )
    def put(self, request: Request, key: str) -> Response:
        centre = _centre_for_manager(request, key)
        data = HoursWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = services.hours_inputs(
            (r["weekday"], r["opens_at"], r["closes_at"]) for r in data.validated_data["hours"]
        )
        saved = services.centre_set_hours(actor=request.user, centre=centre, rows=rows)
        saved.sort(key=lambda r: (r.weekday, r.opens_at))
        return Response(OpeningHoursSerializer(saved, many=True).data)

    @extend_schema(
        operation_id="centres_hours_update",
        summary="Replace the weekly opening hours (same as PUT; centre managers)",
        parameters=[CENTRE_KEY],
        request=HoursWriteSerializer,
        responses=OpeningHoursSerializer(many=True),
    )
    def patch(self, request: Request, key: str) -> Response:
        return self.put(request, key)


class CentreSpacesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_spaces_create",
        summary="Add a space (centre managers)",
        parameters=[CENTRE_KEY],
        request=SpaceSerializer,
        responses={201: SpaceSerializer},
    )
    def post(self, request: Request, key: str) -> Response:
        centre = _centre_for_manager(request, key)
        data = SpaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        space = services.space_create(actor=request.user, centre=centre, **data.validated_data)
        return Response(SpaceSerializer(space).data, status=status.HTTP_201_CREATED)


class CentreSpaceView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_spaces_update",
        summary="Change a space: label, head count, service flag, prices (centre managers)",
        parameters=[CENTRE_KEY, OpenApiParameter("space_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=SpaceSerializer,
        responses=SpaceSerializer,
    )
    def patch(self, request: Request, key: str, space_id: int) -> Response:
        centre = _centre_for_manager(request, key)
        space = get_object_or_404(Space.objects.select_related("centre"), pk=space_id, centre=centre)
        data = SpaceSerializer(space, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        space = services.space_update(actor=request.user, space=space, **data.validated_data)
        return Response(SpaceSerializer(space).data)


class CentreRatesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_rates_set",
        summary="Set one rate card on every space of a kind (centre managers)",
        parameters=[CENTRE_KEY],
        request=RateCardSerializer,
        responses=RateCardResultSerializer,
    )
    def post(self, request: Request, key: str) -> Response:
        centre = _centre_for_manager(request, key)
        data = RateCardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.spaces_set_rates(actor=request.user, centre=centre, **data.validated_data)
        return Response({"updated": updated})


class CentreRulesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_rules_set",
        summary="Set the booking rules: horizon, cut-off, grace period, caps, durations (managers)",
        parameters=[CENTRE_KEY],
        request=BookingRulesWriteSerializer,
        responses=BookingRulesSerializer,
    )
    def put(self, request: Request, key: str) -> Response:
        centre = _centre_for_manager(request, key)
        data = BookingRulesWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        durations = {
            kind: tuple(limits) if limits else None for kind, limits in values.pop("duration_minutes").items()
        }
        services.centre_set_booking_rules(actor=request.user, centre=centre, durations=durations, **values)
        # Re-read: the centre came with its duration rules prefetched before the change.
        return Response(selectors.booking_rules(Centre.objects.get(pk=centre.pk)))


class CentreClosuresView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_closures_create",
        summary="Close the centre on a date (centre managers)",
        parameters=[CENTRE_KEY],
        request=ClosureSerializer,
        responses={201: ClosureSerializer},
    )
    def post(self, request: Request, key: str) -> Response:
        centre = _centre_for_manager(request, key)
        data = ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closure = services.closure_add(
            actor=request.user,
            centre=centre,
            day=data.validated_data["date"],
            reason=data.validated_data.get("reason", ""),
        )
        return Response(ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)


class CentreClosureView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_closures_delete",
        summary="Remove a closure (centre managers)",
        parameters=[CENTRE_KEY, OpenApiParameter("closure_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request, key: str, closure_id: int) -> Response:
        centre = _centre_for_manager(request, key)
        services.closure_remove(actor=request.user, centre=centre, closure_id=closure_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
