"""PSEB reads national occupancy in the admin, and a manager reads their centre on a phone, in Chromium."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bookings.occupancy.services import occupancy_compute
from centres.hours import local_today
from centres.models import Province
from tests.bookings.factories import BookingFactory, CabinFactory, at
from tests.centres.factories import CentreFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.factories import UserFactory
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("OCCUPANCY_SCREENSHOTS", "")


def _log_in(page: Page, live_server: Any, email: str, password: str) -> list[str]:
    """Log in; return the list that collects console errors (a CSP violation shows up there)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    secret = staff_totp(email)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    enter_code(page, secret)
    # On a phone the button sits in the collapsed menu: present, not shown.
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_have_count(1)
    return errors


def _two_provinces() -> Any:
    today = local_today()
    lahore = CentreFactory(name="Lahore Arfa Tower", slug="lahore-arfa")
    quetta = CentreFactory(
        name="Quetta Centre", slug="quetta", city="Quetta", province=Province.BALOCHISTAN, tier=2
    )
    for centre, hours in ((lahore, 2), (quetta, 3)):
        weekdays_open(centre)
        cabin = CabinFactory(centre=centre)
        CabinFactory(centre=centre)
        BookingFactory(space=cabin, starts_at=at(today, 10), ends_at=at(today, 10 + hours))
    occupancy_compute(day=today)
    return lahore


def test_pseb_admin_reads_the_chart_and_regroups_by_city(
    page: Page, live_server: Any, make_user: Any, password: str
) -> None:
    _two_provinces()
    admin = make_user(is_staff=True, is_superuser=True)
    errors = _log_in(page, live_server, admin.email, password)

    page.goto(f"{live_server.url}/admin/bookings/occupancyhour/summary/")
    expect(page.get_by_role("img", name="Booked share of bookable time by Province")).to_be_visible()
    expect(page.get_by_role("table", name="Booked share of bookable time by Province")).to_contain_text(
        "Balochistan"
    )
    page.get_by_label("Group by").select_option("city")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name="Booked share of bookable time by City")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Quetta (Balochistan)")).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/admin.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_manager_reads_their_centre_on_a_phone_without_sideways_scrolling(
    page: Page, live_server: Any, make_user: Any, password: str
) -> None:
    lahore = _two_provinces()
    manager = make_user()
    StaffMembershipFactory(centre=lahore, role="manager", user=manager)
    UserFactory()
    page.set_viewport_size({"width": 375, "height": 800})
    errors = _log_in(page, live_server, manager.email, password)

    page.goto(f"{live_server.url}/bookings/occupancy/{lahore.slug}/")
    expect(page.get_by_role("heading", name="Occupancy of Lahore Arfa Tower")).to_be_visible()
    expect(page.get_by_role("img", name="Booked share of bookable time by hour today")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/manager.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
