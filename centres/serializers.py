"""API shapes for the directory. Reads only shape data; writes go through centres.services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from centres.models import Centre, Closure, Facility, OpeningHours, Space, SpaceKind
from centres.selectors import booking_rules


class FacilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Facility
        fields = ["code", "name", "name_en", "name_ur"]


class CentreListSerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(source="get_province_display", read_only=True)
    facilities: serializers.Field = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    space_count = serializers.IntegerField(read_only=True, help_text=_("Bookable spaces in service"))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Centre
        fields = [
            "id",
            "slug",
            "name",
            "city",
            "province",
            "province_name",
            "tier",
            "status",
            "address",
            "latitude",
            "longitude",
            "internet_speed_mbps",
            "facilities",
            "space_count",
            "url",
        ]

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj: Centre) -> str:
        return f"/centres/{obj.slug}/"


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "09:00",
        "description": "Local wall-clock time in Asia/Karachi, HH:MM (24-hour); no offset, as on a sign",
    }
)
class LocalTimeField(serializers.TimeField):
    """Opening hours as people read them. OpenAPI's ``format: time`` means RFC 3339, which
    requires seconds and a UTC offset, so these are declared by pattern instead."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens_at = LocalTimeField()
    closes_at = LocalTimeField()

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens_at", "closes_at"]
        # The service checks overlaps and empty shifts; the model's unique check needs a centre.
        validators: list[Any] = []

    def validate_weekday(self, value: int) -> int:
        if not 0 <= value <= 6:
            raise serializers.ValidationError(_("Weekday must be between 0 (Monday) and 6 (Sunday)."))
        return value


class HoursWriteSerializer(serializers.Serializer):
    hours = OpeningHoursSerializer(many=True)


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Closure
        fields = ["id", "date", "reason"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class SpaceSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Space
        fields = [
            "id",
            "kind",
            "kind_name",
            "label",
            "floor",
            "capacity",
            "in_service",
            "rate_hourly_pkr",
            "rate_daily_pkr",
            "rate_monthly_pkr",
        ]
        read_only_fields = ["id"]
        validators: list[Any] = []
        extra_kwargs = {
            "rate_hourly_pkr": {"min_value": 0},
            "rate_daily_pkr": {"min_value": 0},
            "rate_monthly_pkr": {"min_value": 0},
        }


class BookingRulesSerializer(serializers.Serializer):
    booking_horizon_days = serializers.IntegerField()
    cancellation_cutoff_minutes = serializers.IntegerField()
    checkin_grace_minutes = serializers.IntegerField()
    max_active_bookings = serializers.IntegerField()
    duration_minutes = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text=_("Per space kind: [minimum, maximum] booking length in minutes"),
    )


class CentreDetailSerializer(CentreListSerializer):
    facilities = FacilitySerializer(many=True, read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)
    spaces = SpaceSerializer(many=True, read_only=True)
    operator = serializers.CharField(source="operator.name", default=None, read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    space_count = serializers.SerializerMethodField(help_text=_("Bookable spaces in service"))  # type: ignore[assignment]
    upcoming_closures = serializers.SerializerMethodField()
    booking_rules = serializers.SerializerMethodField()

    class Meta(CentreListSerializer.Meta):
        fields = [
            *CentreListSerializer.Meta.fields,
            "operator",
            "phone",
            "email",
            "capacity_current",
            "capacity_planned",
            "description",
            "opening_hours",
            "upcoming_closures",
            "spaces",
            "booking_rules",
        ]

    def get_space_count(self, obj: Centre) -> int:
        return sum(1 for space in obj.spaces.all() if space.in_service)  # prefetched with the centre

    @extend_schema_field(ClosureSerializer(many=True))
    def get_upcoming_closures(self, obj: Centre) -> list[dict[str, Any]]:
        return ClosureSerializer(self.context.get("closures", []), many=True).data  # type: ignore[return-value]

    @extend_schema_field(BookingRulesSerializer)
    def get_booking_rules(self, obj: Centre) -> dict[str, Any]:
        return booking_rules(obj)


class BookingRulesWriteSerializer(serializers.Serializer):
    booking_horizon_days = serializers.IntegerField(min_value=1, max_value=366)
    cancellation_cutoff_minutes = serializers.IntegerField(min_value=0, max_value=10080)
    checkin_grace_minutes = serializers.IntegerField(min_value=5, max_value=240)
    max_active_bookings = serializers.IntegerField(min_value=1, max_value=50)
    duration_minutes = serializers.DictField(
        child=serializers.ListField(
            child=serializers.IntegerField(), min_length=2, max_length=2, allow_null=True
        ),
        required=False,
        default=dict,
        help_text=_("Per space kind: [minimum, maximum] minutes, or null for the default"),
    )

    def validate_duration_minutes(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(SpaceKind.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown kinds of space: %(kinds)s.") % {"kinds": ", ".join(unknown)}
            )
        return value


class RateCardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SpaceKind.choices)
    rate_hourly_pkr = serializers.IntegerField(min_value=0, allow_null=True, required=False, default=None)
    rate_daily_pkr = serializers.IntegerField(min_value=0, allow_null=True, required=False, default=None)
    rate_monthly_pkr = serializers.IntegerField(min_value=0, allow_null=True, required=False, default=None)


class RateCardResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
