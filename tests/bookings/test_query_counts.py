"""Round trips per booking: a booking through the API costs at most 8 queries, whatever the centre holds.

Measured with ``transactional_db`` so that, as in production, ``booking_create``'s transaction is
the outermost one (no test-wrapping SAVEPOINTs are counted).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking
from centres.models import Closure, DurationRule, SpaceKind
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_QUERIES_PER_BOOKING = 8


@pytest.fixture
def busy_centre(db: Any) -> Any:
    """A centre with split hours, a duration rule, closures and other people's bookings."""
    centre = CentreFactory(slug="busy-centre")
    weekdays_open(centre)
    DurationRule.objects.create(centre=centre, kind=SpaceKind.CABIN, min_minutes=60, max_minutes=240)
    Closure.objects.create(centre=centre, date=tomorrow_at(10).date().replace(year=2099), reason="Later")
    return centre


def _post(client: APIClient, space: Any, start: Any, end: Any) -> Any:
    return client.post(
        "/api/v1/bookings/",
        {"space": space.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat()},
        format="json",
    )


def test_a_booking_through_the_api_costs_at_most_eight_queries(busy_centre: Any) -> None:
    cabin = CabinFactory(centre=busy_centre, label="Cabin Q")
    person = RegistrationFactory(submitted=True).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(person)[1]}")
    _post(client, cabin, tomorrow_at(9), tomorrow_at(10))  # warm up (content types, translations)

    with CaptureQueriesContext(connection) as captured:
        response = _post(client, cabin, tomorrow_at(11), tomorrow_at(12))

    assert response.status_code == 201, response.json()
    sql = "\n".join(q["sql"] for q in captured.captured_queries)
    assert len(captured) <= MAX_QUERIES_PER_BOOKING, f"{len(captured)} queries:\n{sql}"
    assert Booking.objects.filter(user=person).count() == 2


def test_refusals_still_name_the_rule_in_few_queries(busy_centre: Any) -> None:
    """A booking longer than the centre's rule is refused with its message (rules read in one query)."""
    cabin = CabinFactory(centre=busy_centre, label="Cabin R")
    person = RegistrationFactory(submitted=True).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(person)[1]}")

    with CaptureQueriesContext(connection) as captured:
        response = _post(client, cabin, tomorrow_at(9), tomorrow_at(14))

    assert response.status_code == 400
    assert response.json()["code"] == "too_long"
    assert "4 hours" in response.json()["detail"]
    assert len(captured) <= 4, "\n".join(q["sql"] for q in captured.captured_queries)
