"""``manage.py seed_scale --preset small``: seconds, rerunnable, data the portal accepts (CI smoke)."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from bookings.models import Booking
from bookings.services import booking_create
from centres.hours import local_datetime, local_today
from centres.models import Centre, Space
from freelancers.models import Registration
from freelancers.selectors import registration_lookup
from tests.bookings.factories import BookingFactory
from tests.centres.factories import CentreFactory

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_scale", preset="small", stdout=out)
    return out.getvalue()


def test_small_preset_loads_every_province_tier_and_status_and_runs_again() -> None:
    mine = CentreFactory(slug="not-scale")  # someone else's data survives a rerun
    BookingFactory()

    first = _seed()
    again = _seed()

    assert "bookings" in first and "100%" in first and "removing the data of an earlier run" in again
    scale = Centre.objects.filter(slug__startswith="scale-")
    assert scale.count() == 21
    assert len({c.province for c in scale}) == 7 and {c.tier for c in scale} == {1, 2, 3}
    assert Space.objects.filter(centre__in=scale).count() == 420
    statuses = set(
        Registration.objects.filter(user__email__startswith="scale-").values_list("status", flat=True)
    )
    assert statuses == {"draft", "submitted", "changes_requested", "approved", "rejected", "expired"}
    assert Booking.objects.filter(centre__in=scale).count() == 420 * 14 * 2
    assert (
        Centre.objects.filter(pk=mine.pk).exists() and Booking.objects.exclude(centre__in=scale).count() == 1
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
               ON a.space_id = b.space_id AND a.id < b.id
               AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        assert cursor.fetchone()[0] == 0


def test_seeded_people_are_found_by_cnic_and_can_book_a_seeded_space() -> None:
    _seed()
    found = registration_lookup("30002-0000002-2")
    assert found is not None and found.count() == 1
    person = Registration.objects.filter(user__email__startswith="scale-", status="approved").first().user
    space = Space.objects.filter(centre__slug__startswith="scale-", kind="cabin").first()
    day = local_today() + timedelta(days=2)
    booking = booking_create(
        user=person,
        space=space,
        starts_at=local_datetime(day, time(19)),
        ends_at=local_datetime(day, time(21)),
    )
    assert booking.status == "confirmed"
