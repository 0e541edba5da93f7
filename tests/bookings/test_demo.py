"""seed_demo fills the coming week with bookings through booking_create, and a second run adds none."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from bookings import demo
from bookings.models import Booking, BookingEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_a_lived_in_week_and_is_idempotent(db: Any) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    made = Booking.objects.count()
    assert made > 50
    assert Booking.objects.filter(user__email="sana.freelancer@example.pk").exists()
    assert BookingEvent.objects.filter(action="created").count() == made
    # Every staffed demo centre gets its lived-in week (the desk has something to show at each).
    booked = set(Booking.objects.values_list("centre__slug", flat=True))
    assert booked == {"islamabad-g9", "lahore-arfa-tower"}
    out = io.StringIO()
    demo.seed(out)
    assert Booking.objects.count() == made
    assert "0 new demo bookings" in out.getvalue()
