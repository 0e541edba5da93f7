"""The availability API at scale: the same JSON as its serializer, the same queries for 3 or 60 spaces."""

from __future__ import annotations

import json
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings import selectors
from bookings.serializers import AvailabilitySerializer, availability_data
from centres.hours import local_today
from centres.models import OpeningHours
from tests.bookings.factories import BookingFactory, CabinFactory, MeetingRoomFactory, at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import UserFactory

pytestmark = pytest.mark.django_db


def _centre_with(count: int, slug: str) -> Any:
    """``count`` spaces, a split day (09:00-13:00, 14:00-22:00) and every third space booked twice."""
    centre = CentreFactory(slug=slug)
    weekdays_open(centre, closes=time(13))
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre=centre, weekday=d, opens_at=time(14), closes_at=time(22)) for d in range(7)]
    )
    day = local_today() + timedelta(days=1)
    for i in range(count):
        factory = MeetingRoomFactory if i % 5 == 0 else CabinFactory
        space = factory(centre=centre, label=f"S-{i:03d}", rate_daily_pkr=None if i % 2 else 900)
        if i % 3 == 0:
            BookingFactory(space=space, user=UserFactory(), starts_at=at(day, 10), ends_at=at(day, 11))
            BookingFactory(space=space, user=UserFactory(), starts_at=at(day, 12), ends_at=at(day, 15))
    return centre


def test_the_api_body_is_exactly_what_the_serializer_gives(client: Client) -> None:
    centre = _centre_with(12, "contract")
    day = local_today() + timedelta(days=1)
    expected = json.loads(json.dumps(AvailabilitySerializer(selectors.availability(centre, day)).data))

    response = client.get(f"/api/v1/centres/{centre.pk}/availability/?date={day.isoformat()}")

    assert response.status_code == 200
    assert response.json() == expected
    assert response.json() == json.loads(
        json.dumps(availability_data(selectors.availability(centre, day, with_slots=False)))
    )
    booked = next(s for s in response.json()["spaces"] if s["label"] == "S-000")
    assert [(f["starts_at"][11:16], f["ends_at"][11:16]) for f in booked["free"]] == [
        ("09:00", "10:00"),
        ("11:00", "12:00"),
        ("15:00", "22:00"),
    ]
    assert booked["free"][0]["starts_at"].endswith("+05:00")


def test_the_api_computes_no_half_hour_slots() -> None:
    centre = _centre_with(3, "no-slots")
    day = local_today() + timedelta(days=1)
    result = selectors.availability(centre, day, with_slots=False)
    assert [len(s.slots) for s in result.spaces] == [0, 0, 0]
    assert all(s.free for s in result.spaces)
    assert [len(s.slots) for s in selectors.availability(centre, day).spaces] == [24, 24, 24]


def test_the_api_costs_the_same_queries_for_3_and_60_spaces(client: Client) -> None:
    day = (local_today() + timedelta(days=1)).isoformat()
    counts = []
    for count in (3, 60):
        centre = _centre_with(count, f"size-{count}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/centres/{centre.pk}/availability/?date={day}")
        assert response.status_code == 200 and len(response.json()["spaces"]) == count
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 6
