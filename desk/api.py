"""The API for desk apps (scanners, tablets): check in, check out, today's list. Thin over scans."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.models import Booking
from centres.models import Centre
from erozgar.schema import ErrorSerializer

from . import scans, selectors
from .serializers import DeskBookingSerializer, DeskResultSerializer, ScanSerializer


def centre_for_staff(request: Request, centre_id: int) -> Centre:
    """404 for an unknown centre, 403 for anyone who is not its manager or desk clerk."""
    centre, role = selectors.staff_centre_by_id(request.user, centre_id)
    if centre is None:
        raise Http404
    if role is None:
        raise PermissionDenied
    return centre


def _result_body(result: scans.DeskResult) -> dict[str, Any]:
    booking = selectors.booking_at_centre(result.booking.centre, result.booking.reference) or result.booking
    return {
        "outcome": result.outcome,
        "message": result.message,
        "replayed": result.replayed,
        "booking": DeskBookingSerializer(booking).data,
    }


_SCAN_RESPONSES = {
    200: DeskResultSerializer,
    400: OpenApiResponse(ErrorSerializer, description="Not a usable booking here and now (reason in words)."),
    403: OpenApiResponse(description="Not staff of this centre."),
    404: OpenApiResponse(ErrorSerializer, description="Unknown centre or reference."),
    409: OpenApiResponse(ErrorSerializer, description="Cancelled, released or finished booking."),
}


class _ScanView(APIView):
    """POST a scanned reference; ``service`` is the desk service that acts on it."""

    permission_classes = [permissions.IsAuthenticated]
    service: Any = None

    def post(self, request: Request, centre_id: int) -> Response:
        centre = centre_for_staff(request, centre_id)
        serializer = ScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = self.service(
            centre=centre,
            actor=request.user,
            reference=serializer.validated_data["reference"],
            nonce=serializer.validated_data.get("nonce", ""),
        )
        return Response(_result_body(result))


@extend_schema_view(
    post=extend_schema(
        tags=["desk"],
        summary="Check a booking in at the desk",
        description=(
            "Idempotent: checking in a booking that is already checked in answers "
            '`already_checked_in` ("already checked in at 09:12"). A repeated `nonce` returns the first '
            "answer and counts once. Check-in is open from the centre's lead time before the start until "
            "its grace period after the start has ended."
        ),
        request=ScanSerializer,
        responses=_SCAN_RESPONSES,
    )
)
class CheckInView(_ScanView):
    service = staticmethod(scans.desk_check_in)


@extend_schema_view(
    post=extend_schema(
        tags=["desk"],
        summary="Check a person out",
        description="Checked in -> completed. Checking out twice answers `already_checked_out`.",
        request=ScanSerializer,
        responses=_SCAN_RESPONSES,
    )
)
class CheckOutView(_ScanView):
    service = staticmethod(scans.desk_check_out)


class TodayPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class TodayView(generics.ListAPIView[Booking]):
    """Today's bookings at the centre in arrival order, with status and what has been paid."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DeskBookingSerializer
    pagination_class = TodayPagination

    @extend_schema(tags=["desk"], summary="Today's bookings at the centre")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        centre = centre_for_staff(self.request, self.kwargs["centre_id"])
        return selectors.todays_bookings(centre)
