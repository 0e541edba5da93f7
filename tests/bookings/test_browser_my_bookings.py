"""On a 390 px phone: save a space as a favourite and book it again from My bookings (English and
Urdu), with axe-core on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from bookings.models import Booking, BookingStatus, FavouriteSpace
from tests.a11y import assert_accessible
from tests.bookings.factories import BookingFactory, CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="en-GB", timezone_id="Asia/Karachi"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def eight_in_the_morning() -> Iterator[None]:
    with time_machine.travel(tomorrow_at(8) - timedelta(days=1), tick=True):
        yield


@pytest.mark.parametrize("language", ["en", "ur"])
def test_save_a_favourite_and_book_again_on_a_phone(
    phone: Page, live_server: Any, password: str, language: str, eight_in_the_morning: None
) -> None:
    centre = CentreFactory(slug=f"again-{language}")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 5", rate_hourly_pkr=200)
    user = RegistrationFactory(submitted=True).user
    # Last booked tomorrow 14:00-16:00; "again" is the next day it is free at that hour.
    BookingFactory(space=cabin, user=user, starts_at=tomorrow_at(14), ends_at=tomorrow_at(16))
    page = phone
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)
    with translation.override(language):
        save = translation.gettext("Save %(space)s as a favourite") % {"space": "Cabin 5"}
        find = translation.gettext("Find a time for %(space)s") % {"space": "Cabin 5"}
        again = translation.gettext("Book %(space)s again") % {"space": "Cabin 5"}
        confirm = translation.gettext("Confirm booking")

    page.goto(f"{live_server.url}/bookings/")
    page.get_by_role("button", name=save).tap()
    expect(page.get_by_role("link", name=find)).to_be_visible()
    assert FavouriteSpace.objects.filter(user=user, space=cabin).exists()
    expect(page.get_by_role("button", name=save)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    page.get_by_role("link", name=again).tap()
    expect(page.locator("#review-summary")).to_contain_text("14:00–16:00")
    page.get_by_role("button", name=confirm).tap()
    expect(page.get_by_role("heading", name=re.compile(r"[A-Z2-9]{8}"))).to_be_visible()
    booked = Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED).order_by("starts_at")
    today = tomorrow_at(14) - timedelta(days=1)
    assert [(b.starts_at, b.ends_at) for b in booked] == [
        (today, today + timedelta(hours=2)),  # at eight in the morning, today's 14:00 is the next free
        (tomorrow_at(14), tomorrow_at(16)),
    ]
