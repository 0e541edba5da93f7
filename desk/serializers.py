"""Shapes of the desk API. Validation of meaning lives in desk.scans."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bookings.models import Booking

from . import selectors


class ScanSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(
        max_length=200,
        help_text=_("The booking reference as scanned or typed (8 letters and digits)."),
        error_messages={
            "required": _("Send the booking reference."),
            "blank": _("Send the booking reference."),
        },
    )
    nonce = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text=_(
            "Optional id chosen by the client for this scan. Re-sending the same nonce (an offline "
            "scanner replaying its queue) returns the first answer and counts once."
        ),
    )


class DeskBookingSerializer(serializers.ModelSerializer[Booking]):
    person = serializers.SerializerMethodField()
    space = serializers.CharField(source="space.label")
    status_display = serializers.CharField(source="get_status_display")
    paid_pkr = serializers.SerializerMethodField()
    payment_state = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "reference",
            "person",
            "space",
            "product",
            "starts_at",
            "ends_at",
            "status",
            "status_display",
            "checked_in_at",
            "checked_out_at",
            "source",
            "price_pkr",
            "paid_pkr",
            "payment_state",
        ]
        read_only_fields = fields

    def get_person(self, booking: Booking) -> str:
        return selectors.person_name(booking)

    def get_paid_pkr(self, booking: Booking) -> int:
        return selectors.money(booking).paid_pkr

    def get_payment_state(self, booking: Booking) -> str:
        return selectors.money(booking).state


class DeskResultSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(
        choices=["checked_in", "already_checked_in", "checked_out", "already_checked_out"]
    )
    message = serializers.CharField()
    replayed = serializers.BooleanField(help_text=_("True when this answers a nonce seen before."))
    booking = DeskBookingSerializer()
