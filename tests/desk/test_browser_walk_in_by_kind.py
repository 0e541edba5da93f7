"""In Chromium at 360 px: the clerk picks a kind for a walk-in and gets one offer of that kind,
not a card per free seat; axe-core finds nothing on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from bookings.models import Booking
from centres.models import SpaceKind
from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory
from tests.centres.factories import SpaceFactory
from tests.desk.helpers import today_at
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_clock() -> Iterator[None]:
    with time_machine.travel(today_at(10), tick=True):
        yield


def test_clerk_filters_walk_in_spaces_by_kind_on_a_narrow_screen(
    page: Page, live_server: Any, running_clock: None, centre: Any, clerk: Any, freelancer: Any, password: str
) -> None:
    for n in range(1, 41):
        SpaceFactory(centre=centre, kind=SpaceKind.WORKSTATION, label=f"WS-{n:03d}", rate_hourly_pkr=100)
    CabinFactory(centre=centre, label="Cabin P")
    CabinFactory(centre=centre, label="Cabin Q")
    page.set_viewport_size({"width": 360, "height": 780})
    secret = staff_totp(clerk)
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/{centre.slug}/walk-in/")
    page.get_by_label(re.compile(r"^Email")).fill(clerk.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.locator("form.account-form button[type=submit]").click()
    enter_code(page, secret)
    page.get_by_label("Walk-in: CNIC or mobile of a registered freelancer").fill("35202-1234567-1")
    page.get_by_role("button", name="Find the person").click()
    expect(page.locator(".free-space")).to_have_count(2)  # one per kind, not 42
    page.get_by_role("link", name="Individual cabin (2 free)").click()
    expect(page.locator(".free-space")).to_have_count(1)
    expect(page.get_by_role("link", name="Individual cabin (2 free)")).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_text("Another Individual cabin").click()
    page.get_by_role("link", name="Cabin Q").click()
    expect(page.get_by_role("button", name="Book Cabin Q and check in")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("button", name="Book Cabin Q and check in").click()
    expect(page.locator(".messages")).to_contain_text("is booked and checked in: Cabin Q")
    assert Booking.objects.get(user=freelancer).space.label == "Cabin Q"
