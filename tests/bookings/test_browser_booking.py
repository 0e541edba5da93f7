"""A freelancer books a cabin for two hours tomorrow with the keyboard alone, gets the QR and .ics,
cancels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bookings.models import Booking, BookingStatus
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _press(page: Page, locator: Any, key: str = "Enter") -> None:
    """Move keyboard focus to ``locator`` and press a key: no mouse is used anywhere."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


def test_freelancer_books_a_cabin_for_two_hours_tomorrow_with_the_keyboard(
    page: Page, live_server: Any, password: str, tmp_path: Any
) -> None:
    centre = CentreFactory(name="e-Rozgar Centre Lahore", slug="lahore-keyboard")
    weekdays_open(centre)
    CabinFactory(centre=centre, label="Cabin 7", rate_hourly_pkr=250)
    user = RegistrationFactory(submitted=True).user

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    _press(page, page.get_by_role("link", name="Book a space"))
    expect(page.get_by_role("heading", name="Book a space at e-Rozgar Centre Lahore")).to_be_visible()

    # Tomorrow, through the day navigation (htmx swaps only the grid and announces the day).
    _press(page, page.get_by_role("link", name=re.compile("Next day")))
    day = tomorrow_at(10).strftime("%A %-d %B")
    expect(page.get_by_role("status")).to_contain_text(day)
    expect(page.locator("#grid-day")).to_be_focused()  # focus lands on the new day, not the page top
    _press(page, page.get_by_role("link", name="Book Cabin 7 at 10:00"))

    expect(page.get_by_role("heading", name="Review your booking")).to_be_visible()
    length = page.get_by_label("What to book")
    length.focus()
    page.keyboard.type("2 hours")  # type-ahead picks "2 hours (10:00–12:00) · Rs 500"
    expect(page.locator("#review-summary")).to_contain_text("Rs 500")
    expect(page.locator("#review-summary")).to_contain_text("10:00–12:00")
    _press(page, page.get_by_role("button", name="Confirm booking"))

    expect(page.get_by_role("heading", name=re.compile(r"^Booking [A-Z2-9]{8}$"))).to_be_visible()
    booking = Booking.objects.get(user=user)
    expect(page.get_by_role("heading", name=f"Booking {booking.reference}")).to_be_visible()
    expect(page.get_by_text(f"Booked. Your reference is {booking.reference}.")).to_be_visible()
    expect(page.get_by_role("img", name=f"QR code for booking reference {booking.reference}")).to_be_visible()
    assert (booking.starts_at, booking.ends_at, booking.price_pkr) == (tomorrow_at(10), tomorrow_at(12), 500)

    with page.expect_download() as download_info:
        _press(page, page.get_by_role("link", name="Add to calendar (.ics)"))
    download = download_info.value
    assert download.suggested_filename == f"erozgar-{booking.reference}.ics"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    ics = saved.read_text()
    assert "BEGIN:VEVENT" in ics and booking.reference in ics

    page.once("dialog", lambda dialog: dialog.accept())
    _press(page, page.get_by_role("button", name="Cancel booking"))
    expect(page.get_by_text(f"Booking {booking.reference} is cancelled.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_grid_fits_a_phone_and_scrolls_inside_its_own_box(
    page: Page, live_server: Any, language: str
) -> None:
    centre = CentreFactory(slug=f"phone-{language}")
    weekdays_open(centre)
    CabinFactory.create_batch(12, centre=centre)
    page.set_viewport_size({"width": 360, "height": 800})
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date={tomorrow_at(0).date().isoformat()}")
    expect(page.locator("table.availability-grid")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    grid_box = page.locator(".grid-wrap")
    assert grid_box.evaluate("box => box.scrollWidth > box.clientWidth")  # the grid scrolls, not the page
