"""Issue 11's booking defects, each as a person meets it in Chromium.

The server's clock runs from Tuesday 1 December 2026, 10:00 in Karachi (the browser keeps its
own), the day the monthly plan for January was offered and then refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from bookings.models import Booking, BookingStatus, Product
from bookings.services import booking_create
from centres.hours import LOCAL_TZ
from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, SpaceFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_OF_DECEMBER = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def first_of_december() -> Iterator[None]:
    with time_machine.travel(FIRST_OF_DECEMBER, tick=True):
        yield


def choose(page: Page, label: str, starting: str) -> str:
    """Select the option of the ``label`` list whose text starts with ``starting``; its text."""
    select = page.get_by_label(label)
    texts = [t.strip() for t in select.locator("option").all_inner_texts()]
    text = next(t for t in texts if t.startswith(starting))
    select.select_option(label=text)
    return text


def log_in(page: Page, base: str, user: Any, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(user.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.parametrize("horizon", [30, 7])
def test_an_approved_freelancer_books_next_months_seat_plan_on_the_first_of_the_month(
    page: Page, live_server: Any, password: str, first_of_december: None, horizon: int
) -> None:
    centre = CentreFactory(name="Islamabad G-9", slug=f"g9-{horizon}", booking_horizon_days=horizon)
    weekdays_open(centre)
    SpaceFactory(centre=centre, label="WS-01", rate_hourly_pkr=100, rate_daily_pkr=500, rate_monthly_pkr=3500)
    user = RegistrationFactory(approved=True).user
    log_in(page, live_server.url, user, password)

    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date=2026-12-02")
    page.get_by_role("link", name="Book WS-01 at 11:00").click()
    expect(page.get_by_role("heading", name="Review your booking")).to_be_visible()
    summary = page.locator("#review-summary")

    choose(page, "What to book", "Day pass")
    expect(summary).to_contain_text("Wednesday 2 December 2026, all day (09:00–18:00)")

    choose(page, "What to book", "Monthly seat plan, January 2027")
    expect(summary).to_contain_text("1 January 2027 to 31 January 2027")
    expect(summary).not_to_contain_text("00:00")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Booking [A-Z2-9]{8}$"))).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("1 January 2027 to 31 January 2027")
    booking = Booking.objects.get(user=user)
    assert booking.product == Product.MONTHLY
    assert booking.starts_at == datetime(2027, 1, 1, tzinfo=LOCAL_TZ)
    assert booking.status == BookingStatus.CONFIRMED

    page.goto(f"{live_server.url}/bookings/")
    expect(page.locator(".booking-card")).to_contain_text("1 January 2027 to 31 January 2027")


def test_a_month_beyond_the_next_is_not_offered_when_the_horizon_does_not_reach_it(
    page: Page, live_server: Any, password: str, first_of_december: None
) -> None:
    centre = CentreFactory(slug="g9-far", booking_horizon_days=40)
    weekdays_open(centre)
    CabinFactory(centre=centre, label="Cabin 1")
    user = RegistrationFactory(approved=True).user
    log_in(page, live_server.url, user, password)

    # 2 January is within 40 days; February's plan (from 1 February, 62 days ahead) is not offered.
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date=2027-01-02")
    page.get_by_role("link", name="Book Cabin 1 at 11:00").click()
    options = page.get_by_label("What to book").locator("option")
    expect(options.first).to_be_attached()
    assert not [t for t in options.all_inner_texts() if "Monthly" in t]


@pytest.mark.celery
def test_a_cancelled_booking_shows_no_code_and_the_person_gets_an_email(
    page: Page,
    live_server: Any,
    password: str,
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
) -> None:
    centre = CentreFactory(slug="cancel-here")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 3")
    user = RegistrationFactory(submitted=True).user
    booking = booking_create(
        user=user, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/bookings/{booking.reference}/")
    expect(page.get_by_role("img", name=f"QR code for booking reference {booking.reference}")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text(f"Booking {booking.reference} is cancelled.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_have_count(0)
    expect(page.get_by_text("Show this code at the desk")).to_have_count(0)
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_have_count(0)
    expect(
        page.get_by_text("This booking is cancelled: its code no longer works at the desk.")
    ).to_be_visible()
    assert_accessible(page)

    message = wait_for(lambda: next((m for m in mail.outbox if booking.reference in m.subject), None))
    assert message.to == [user.email]
    assert message.subject.endswith(f"You cancelled booking {booking.reference} at {centre.name}")


def test_the_day_field_follows_the_day_shown_and_changing_the_kind_keeps_it(
    page: Page, live_server: Any
) -> None:
    from centres.models import SpaceKind

    centre = CentreFactory(slug="follow-the-day")
    weekdays_open(centre)
    CabinFactory(centre=centre, label="Cabin 1")
    SpaceFactory(centre=centre, label="WS-01", kind=SpaceKind.WORKSTATION)
    tomorrow = tomorrow_at(10).date()
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/")
    page.get_by_role("link", name=re.compile("Next day")).click()
    expect(page.locator("#grid-day")).to_have_text(tomorrow.strftime("%A %-d %B %Y"))
    expect(page.get_by_label("Day", exact=True)).to_have_value(tomorrow.isoformat())

    page.get_by_label("Kind of space").select_option(label="Individual cabin")
    expect(page.locator("#grid-caption")).to_contain_text(tomorrow.strftime("%A %-d %B %Y"))
    expect(page.locator("#grid-day")).to_have_text(tomorrow.strftime("%A %-d %B %Y"))
    expect(page.get_by_role("link", name="Book Cabin 1 at 11:00")).to_be_visible()
    expect(page.get_by_role("link", name="Book WS-01 at 11:00")).to_have_count(0)
    assert f"date={tomorrow.isoformat()}" in page.url


def test_after_just_taken_the_list_offers_only_lengths_still_free(
    page: Page, live_server: Any, password: str
) -> None:
    centre = CentreFactory(slug="just-taken")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 9", rate_hourly_pkr=200)
    user = RegistrationFactory(submitted=True).user
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date={tomorrow_at(10).date().isoformat()}")
    page.get_by_role("link", name="Book Cabin 9 at 10:00").click()
    choose(page, "What to book", "3 hours")

    # Someone else books 11:00-12:00 while the review page is open.
    rival = RegistrationFactory(submitted=True).user
    booking_create(user=rival, space=cabin, starts_at=tomorrow_at(11), ends_at=tomorrow_at(12), notify=False)
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="Just taken")).to_be_visible()
    options = page.get_by_label("What to book").locator("option").all_inner_texts()
    offered = [t.strip().replace("\u2066", "").replace("\u2069", "") for t in options]
    assert offered == ["1 hour (10:00–11:00) · Rs 200"], offered
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Booking [A-Z2-9]{8}$"))).to_be_visible()
    booking = Booking.objects.get(user=user)
    assert (booking.starts_at, booking.ends_at) == (tomorrow_at(10), tomorrow_at(11))


def test_urdu_pages_keep_latin_runs_in_order_and_mirror_the_day_arrows(
    page: Page, live_server: Any, password: str
) -> None:
    centre = CentreFactory(slug="bidi", phone="+92515550100")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 5")
    user = RegistrationFactory(submitted=True).user
    user.language = "ur"
    user.save(update_fields=["language"])
    booking = booking_create(
        user=user, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    page.context.add_cookies([{"name": "erozgar_language", "value": "ur", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name='login']").fill(user.email)
    page.locator("input[name='password']").fill(password)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/bookings/{booking.reference}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    def direction(locator: Any) -> str:
        return str(locator.evaluate("el => getComputedStyle(el).direction"))

    phone = page.locator("a[href^='tel:']")
    expect(phone).to_have_text("+92515550100")
    assert direction(phone) == "ltr"  # not "92515550100+"
    ics = page.locator("a[download]").get_by_text("(.ics)")
    assert direction(ics) == "ltr"  # not "(ics.)"
    times = page.locator(".summary").get_by_text("10:00–12:00")
    assert direction(times) == "ltr"

    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date={tomorrow_at(10).date().isoformat()}")
    # In Urdu the next day lies to the left: its arrow points left, the previous day's right.
    expect(page.locator(".day-nav a").last).to_contain_text("←")
    expect(page.locator(".day-nav a").first).to_contain_text("→")
    expect(page.locator(".day-nav a").first).not_to_contain_text("←")
    assert_accessible(page)
