"""On a 390 px phone, in English and in Urdu: book a cabin for two hours tomorrow through the
time-first view, counting the taps, with axe-core on every page of the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Browser, Page, expect

from bookings import rules
from bookings.forms import duration_label
from bookings.models import Booking
from centres.models import SpaceKind
from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, SpaceFactory, weekdays_open
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


def _log_in(page: Page, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.account-form button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_cabin_for_two_hours_tomorrow_in_five_taps_on_a_phone(
    phone: Page, live_server: Any, password: str, language: str
) -> None:
    centre = CentreFactory(name="e-Rozgar Centre Lahore", slug=f"lahore-phone-{language}")
    weekdays_open(centre)
    CabinFactory.create_batch(3, centre=centre, rate_hourly_pkr=300)
    CabinFactory(centre=centre, label="Cabin 7", rate_hourly_pkr=250)
    user = RegistrationFactory(submitted=True).user
    page = phone
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    _log_in(page, live_server, user.email, password)
    with translation.override(language):
        words = {
            "find": translation.gettext("Find a free space"),
            "tomorrow": translation.gettext("Tomorrow"),
            "two_hours": duration_label(120),
            "book": translation.gettext("Book %(space)s") % {"space": "Cabin 7"},
            "confirm": translation.gettext("Confirm booking"),
            "day": date_format(tomorrow_at(9).date(), "l j F"),
        }
    taps = 0

    def tap(locator: Any) -> None:
        nonlocal taps
        taps += 1
        locator.tap()

    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    tap(page.get_by_role("link", name=words["find"]))

    expect(page.get_by_role("radio", name=words["tomorrow"])).to_be_visible()
    tap(page.get_by_role("radio", name=words["tomorrow"]))
    status = page.locator("#finder-status")
    expect(status).to_contain_text(words["day"])
    tap(page.get_by_role("radio", name=words["two_hours"], exact=True))
    expect(status).to_contain_text("09:00–11:00")
    book = page.get_by_role("link", name=words["book"], exact=True)
    expect(book).to_be_visible()
    assert_accessible(page)
    _fits_the_phone(page)
    # The free spaces start on the first screen's worth of scrolling, not below a long form.
    assert book.bounding_box()["y"] < 2 * PHONE["height"]
    tap(book)

    expect(page.locator("#review-summary")).to_contain_text("09:00–11:00")
    expect(page.locator("#review-summary")).to_contain_text("500")
    assert_accessible(page)
    _fits_the_phone(page)
    tap(page.get_by_role("button", name=words["confirm"]))

    booking = None
    expect(page.get_by_role("heading", name=re.compile(r"[A-Z2-9]{8}"))).to_be_visible()
    booking = Booking.objects.get(user=user)
    assert (booking.space.label, booking.starts_at, booking.ends_at, booking.price_pkr) == (
        "Cabin 7",
        tomorrow_at(9),
        tomorrow_at(11),
        500,
    )
    assert_accessible(page)
    _fits_the_phone(page)
    assert taps <= 5, f"{taps} taps"


def test_the_finder_works_by_keyboard_alone(page: Page, live_server: Any) -> None:
    centre = CentreFactory(slug="keyboard-finder")
    weekdays_open(centre)
    CabinFactory(centre=centre, label="Cabin 9")
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/when/")
    tomorrow = page.get_by_role("radio", name="Tomorrow")
    page.get_by_role("radio", name="Today").focus()
    page.keyboard.press("ArrowRight")  # arrows move within the radio group, as in any form
    expect(tomorrow).to_be_focused()
    expect(tomorrow).to_be_checked()
    expect(page.locator("#finder-status")).to_contain_text(date_format(tomorrow_at(9).date(), "l j F"))
    expect(tomorrow).to_be_focused()  # htmx swapped the results, not the form: focus stays
    page.get_by_label("Starting at").select_option("14:00")
    expect(page.locator("#finder-status")).to_contain_text("14:00–15:00")
    link = page.get_by_role("link", name="Book Cabin 9")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review your booking")).to_be_visible()


def test_a_day_pass_cheaper_than_six_hours_is_offered_and_taken_on_a_phone(
    phone: Page, live_server: Any, password: str
) -> None:
    centre = CentreFactory(slug="day-pass-tip")
    weekdays_open(centre)
    SpaceFactory(
        centre=centre,
        kind=SpaceKind.WORKSTATION,
        label="WS-9",
        rate_hourly_pkr=100,
        rate_daily_pkr=500,
        rate_monthly_pkr=3500,
    )
    user = RegistrationFactory(submitted=True).user
    page = phone
    _log_in(page, live_server, user.email, password)
    page.goto(
        f"{live_server.url}/centres/{centre.slug}/book/when/?day={tomorrow_at(0).date().isoformat()}"
        "&start=10:00&length=360"
    )
    expect(page.get_by_text("A day pass costs Rs 500, less than Rs 600 for these hours.")).to_be_visible()
    expect(
        page.get_by_text("Monthly seat plans are for freelancers whose registration is approved.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Book WS-9", exact=True).tap()
    expect(page.locator("#review-summary")).to_contain_text("Rs 600")
    tip = page.get_by_role("link", name="Take the day pass instead")
    expect(tip).to_be_visible()
    assert_accessible(page)
    tip.tap()
    expect(page.get_by_label("What to book")).to_have_value("day_pass")
    page.get_by_role("button", name="Confirm booking").tap()
    expect(page.get_by_role("heading", name=re.compile(r"[A-Z2-9]{8}"))).to_be_visible()
    booking = Booking.objects.get(user=user)
    assert (booking.product, booking.price_pkr) == ("day_pass", 500)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_an_approved_freelancer_books_a_monthly_seat_plan_for_next_month_on_a_phone(
    phone: Page, live_server: Any, password: str, language: str
) -> None:
    centre = CentreFactory(name="e-Rozgar Centre Quetta", slug=f"monthly-{language}")
    weekdays_open(centre)
    SpaceFactory(
        centre=centre,
        kind=SpaceKind.WORKSTATION,
        label="WS-12",
        rate_hourly_pkr=100,
        rate_daily_pkr=500,
        rate_monthly_pkr=3500,
    )
    user = RegistrationFactory(approved=True).user
    page = phone
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    _log_in(page, live_server, user.email, password)
    tomorrow = tomorrow_at(0).date()
    first = tomorrow if tomorrow.day == 1 else rules.next_month_start(tomorrow)
    with translation.override(language):
        words = {
            "find": translation.gettext("Find a free space"),
            "tomorrow": translation.gettext("Tomorrow"),
            "month": translation.gettext("Book %(space)s for %(month)s")
            % {"space": "WS-12", "month": date_format(first, "F Y")},
            "confirm": translation.gettext("Confirm booking"),
            "from": date_format(first, "j F Y"),
        }
    taps = 0

    def tap(locator: Any) -> None:
        nonlocal taps
        taps += 1
        locator.tap()

    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    tap(page.get_by_role("link", name=words["find"]))
    tap(page.get_by_role("radio", name=words["tomorrow"]))
    plan = page.get_by_role("link", name=words["month"])
    expect(plan).to_be_visible()
    assert_accessible(page)
    tap(plan)
    summary = page.locator("#review-summary")
    expect(summary).to_contain_text(words["from"])  # dates, not "00:00–00:00"
    expect(summary).to_contain_text("3,500")
    assert "00:00" not in summary.inner_text()
    assert_accessible(page)
    _fits_the_phone(page)
    tap(page.get_by_role("button", name=words["confirm"]))
    expect(page.get_by_role("heading", name=re.compile(r"[A-Z2-9]{8}"))).to_be_visible()
    booking = Booking.objects.get(user=user)
    month = rules.month_window(first)
    assert (booking.product, booking.starts_at, booking.ends_at, booking.price_pkr) == (
        "monthly",
        month.start,
        month.end,
        3500,
    )
    assert_accessible(page)
    assert taps <= 4, f"{taps} taps"
