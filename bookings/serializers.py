"""API shapes for bookings. Parsing and presenting only: the rules live in services.booking_create."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from centres.hours import local_today
from centres.models import SpaceKind

from .models import Booking, Product

AVAILABILITY_RANGE_DAYS = 366


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.Field):
    """ISO 8601 with an offset or Z. A time without a zone is refused, never guessed."""

    default_error_messages = {
        "invalid": _("Give a date and time in ISO 8601, for example 2026-12-01T10:00:00+05:00."),
        "naive": _(
            "Give the time with its time zone, for example 2026-12-01T10:00:00+05:00 for Pakistan time."
        ),
    }

    def to_internal_value(self, data: Any) -> datetime:
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        assert value is not None
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("naive")
        return value

    def to_representation(self, value: datetime) -> str:
        return serializers.DateTimeField().to_representation(value)


class BookingRequestSerializer(serializers.Serializer):
    space = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The space's id")
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    product = serializers.ChoiceField(choices=Product.choices, default=Product.HOURLY, required=False)


class CancelRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BookingSerializer(serializers.ModelSerializer):
    space_label = serializers.CharField(source="space.label", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "reference",
            "status",
            "space",
            "space_label",
            "centre",
            "centre_name",
            "product",
            "starts_at",
            "ends_at",
            "price_pkr",
            "source",
            "created_at",
            "checked_in_at",
            "checked_out_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class IntervalSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(source="start")
    ends_at = serializers.DateTimeField(source="end")


class RatesSerializer(serializers.Serializer):
    hourly = serializers.IntegerField(source="rate_hourly_pkr", allow_null=True)
    daily = serializers.IntegerField(source="rate_daily_pkr", allow_null=True)
    monthly = serializers.IntegerField(source="rate_monthly_pkr", allow_null=True)


class SpaceAvailabilitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="space.pk")
    label = serializers.CharField(source="space.label")  # type: ignore[assignment]
    kind = serializers.ChoiceField(source="space.kind", choices=SpaceKind.choices)
    capacity = serializers.IntegerField(source="space.capacity")
    rates_pkr = RatesSerializer(source="space")
    free = IntervalSerializer(many=True)


class AvailabilitySerializer(serializers.Serializer):
    centre = serializers.IntegerField(source="centre.pk")
    date = serializers.DateField(source="day")
    bookable = serializers.BooleanField(source="centre.is_bookable")
    opening = IntervalSerializer(many=True)
    spaces = SpaceAvailabilitySerializer(many=True)


class AvailabilityQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )
    kind = serializers.ChoiceField(choices=SpaceKind.choices, required=False)

    def validate_date(self, value: dt.date) -> dt.date:
        # Far-off days mean nothing here, and before 1907 Karachi kept local mean time (+04:28:12),
        # an offset no RFC 3339 date-time can carry.
        if abs((value - local_today()).days) > AVAILABILITY_RANGE_DAYS:
            raise serializers.ValidationError(_("Pick a day within a year of today."))
        return value


def availability_data(result: Any) -> dict[str, Any]:
    """``AvailabilitySerializer(result).data``, built directly (the same JSON, a fraction of the time).

    A 300-space centre has some 7,500 interval ends, most of them the same few opening and
    booking times: each distinct datetime is formatted once, by DRF's own DateTimeField.
    tests/bookings/test_availability_api.py holds the two equal.
    """
    field = serializers.DateTimeField()
    texts: dict[datetime, str] = {}

    def when(moment: datetime) -> str:
        text = texts.get(moment)
        if text is None:
            text = texts[moment] = field.to_representation(moment)
        return text

    def intervals(items: Any) -> list[dict[str, str]]:
        return [{"starts_at": when(i.start), "ends_at": when(i.end)} for i in items]

    return {
        "centre": result.centre.pk,
        "date": result.day.isoformat(),
        "bookable": result.centre.is_bookable,
        "opening": intervals(result.opening),
        "spaces": [
            {
                "id": a.space.pk,
                "label": a.space.label,
                "kind": a.space.kind,
                "capacity": a.space.capacity,
                "rates_pkr": {
                    "hourly": a.space.rate_hourly_pkr,
                    "daily": a.space.rate_daily_pkr,
                    "monthly": a.space.rate_monthly_pkr,
                },
                "free": intervals(a.free),
            }
            for a in result.spaces
        ],
    }
