"""One check-in window (bookings.lifecycle.checkin_window) answers the same through every door.

The lifecycle service, the desk page (a scanner typing into it) and the desk API are asked
about the same booking at the same moment; at each edge of the window they allow or refuse
alike, and the page and the API word a refusal identically.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.lifecycle import booking_check_in, checkin_window, release_time
from bookings.models import BookingStatus, Product
from centres.models import SpaceKind
from erozgar.errors import DomainError
from tests.bookings.factories import CabinFactory
from tests.centres.factories import SpaceFactory
from tests.desk.helpers import make_booking, today_at
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

START = today_at(10)
OPENS = START - timedelta(minutes=30)  # the centre fixture: opens 30 minutes before
CLOSES = START + timedelta(minutes=30)  # ... and releases 30 minutes after the start

EDGES = [
    pytest.param(OPENS - timedelta(seconds=1), "too_early", id="before-the-window-opens"),
    pytest.param(OPENS, None, id="exactly-at-opening"),
    pytest.param(START, None, id="at-the-start"),
    pytest.param(CLOSES - timedelta(seconds=1), None, id="last-second-of-grace"),
    pytest.param(CLOSES, "too_late", id="at-start-plus-grace"),
    pytest.param(CLOSES + timedelta(seconds=1), "too_late", id="just-after-grace"),
]


def _booking(centre: Any) -> Any:
    """Cabin and person of its own: three bookings at one time must not collide."""
    return make_booking(
        CabinFactory(centre=centre), RegistrationFactory(submitted=True).user, START, today_at(12)
    )


def _through_the_lifecycle(booking: Any, clerk: Any) -> tuple[bool, str | None]:
    try:
        booking_check_in(booking=booking, actor=clerk)
    except DomainError as error:
        return False, error.code
    return True, None


def _through_the_desk_page(booking: Any, clerk: Any) -> tuple[bool, str]:
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("desk:check_in", args=[booking.centre.slug]),
        {"reference": booking.reference},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return 'data-scan-outcome="ok"' in page, page


def _through_the_api(booking: Any, clerk: Any) -> tuple[bool, dict[str, Any]]:
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(
        f"/api/v1/desk/{booking.centre_id}/check-in/", {"reference": booking.reference}, format="json"
    )
    assert response.status_code in (200, 400), response.content
    return response.status_code == 200, response.json()


@pytest.mark.parametrize(("moment", "refusal"), EDGES)
def test_the_lifecycle_the_desk_page_and_the_api_agree_at_each_edge_of_the_window(
    centre: Any, clerk: Any, moment: Any, refusal: str | None
) -> None:
    service_booking, page_booking, api_booking = _booking(centre), _booking(centre), _booking(centre)
    assert checkin_window(service_booking) == (OPENS, CLOSES)
    with time_machine.travel(moment, tick=False):
        service_ok, service_code = _through_the_lifecycle(service_booking, clerk)
        page_ok, page = _through_the_desk_page(page_booking, clerk)
        api_ok, body = _through_the_api(api_booking, clerk)

    allowed = refusal is None
    assert (service_ok, page_ok, api_ok) == (allowed, allowed, allowed)
    for booking in (service_booking, page_booking, api_booking):
        booking.refresh_from_db()
        assert (booking.status == BookingStatus.CHECKED_IN) is allowed
    if allowed:
        assert body["outcome"] == "checked_in"
        return
    assert service_code == body["code"] == refusal
    assert body["detail"] in page  # the page shows the API's very words


def test_the_release_job_and_the_window_close_at_the_same_moment(centre: Any) -> None:
    booking = _booking(centre)
    assert release_time(booking) == checkin_window(booking)[1] == CLOSES


def test_a_monthly_plan_may_be_checked_into_while_it_runs(centre: Any, clerk: Any) -> None:
    plan = make_booking(
        SpaceFactory(centre=centre, kind=SpaceKind.WORKSTATION),
        RegistrationFactory(approved=True).user,
        today_at(0),
        today_at(0, days=31),
        product=Product.MONTHLY,
    )
    assert checkin_window(plan)[1] == plan.ends_at
    with time_machine.travel(today_at(15, days=10), tick=False):
        booking_check_in(booking=plan, actor=clerk)
    plan.refresh_from_db()
    assert plan.status == BookingStatus.CHECKED_IN
