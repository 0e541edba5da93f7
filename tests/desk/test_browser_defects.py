"""Issue 11's desk defects, as a clerk meets them in Chromium (the server's clock runs from
10:00 on Tuesday 1 December 2026; the browser keeps its own)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from bookings.models import BookingStatus
from desk import payments
from tests.a11y import assert_accessible
from tests.desk.helpers import make_booking, today_at
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_clock() -> Iterator[None]:
    with time_machine.travel(today_at(10, 30), tick=True):
        yield


def log_in(page: Page, base: str, user: Any, password: str) -> None:
    secret = staff_totp(user)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(user.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    enter_code(page, secret)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_checking_out_on_the_booking_page_updates_it_and_warns_of_money_due(
    page: Page,
    live_server: Any,
    running_clock: None,
    centre: Any,
    cabin: Any,
    freelancer: Any,
    clerk: Any,
    password: str,
) -> None:
    booking = make_booking(
        cabin,
        freelancer,
        today_at(10),
        today_at(12),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(10),
        price_pkr=1400,
    )
    log_in(page, live_server.url, clerk, password)
    page.goto(f"{live_server.url}/desk/{centre.slug}/bookings/{booking.reference}/")
    card = page.locator("#booking-card")
    expect(card).to_contain_text("Checked in at 10:00")

    page.get_by_role("button", name=f"Check out {booking.reference}").click()

    answer = page.locator("#scan-result")
    expect(answer).to_contain_text("Money due:")
    expect(answer).to_contain_text("Rs 1,400 is still to pay: take the payment before they leave.")
    # The page follows without a reload: the status, and no "Check out" button any more.
    expect(card).to_contain_text("Left at 10:3")
    expect(page.get_by_role("button", name=f"Check out {booking.reference}")).to_have_count(0)
    assert_accessible(page)

    answer.get_by_role("link", name=f"Take payment for {booking.reference}").click()
    expect(page.get_by_label(re.compile("Amount"))).to_have_value("1400")


def test_checking_out_a_paid_booking_gives_no_warning(
    page: Page,
    live_server: Any,
    running_clock: None,
    centre: Any,
    cabin: Any,
    freelancer: Any,
    clerk: Any,
    password: str,
) -> None:
    booking = make_booking(
        cabin,
        freelancer,
        today_at(10),
        today_at(12),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(10),
        price_pkr=400,
    )
    payments.payment_record(centre=centre, actor=clerk, booking=booking, amount_pkr=400, method="cash")
    log_in(page, live_server.url, clerk, password)
    page.goto(f"{live_server.url}/desk/{centre.slug}/bookings/{booking.reference}/")
    page.get_by_role("button", name=f"Check out {booking.reference}").click()
    answer = page.locator("#scan-result")
    expect(answer).to_contain_text("Done:")
    expect(answer).not_to_contain_text("still to pay")
    expect(page.locator("#booking-card")).to_contain_text("Left at 10:3")


@pytest.mark.parametrize(("language", "two_thousand"), [("en", "Rs 2,000"), ("ur", "2,000 روپے")])
def test_money_reads_one_way_on_every_page_in_both_languages(
    page: Page,
    live_server: Any,
    running_clock: None,
    centre: Any,
    freelancer: Any,
    clerk: Any,
    password: str,
    language: str,
    two_thousand: str,
) -> None:
    from tests.bookings.factories import CabinFactory

    cabin = CabinFactory(centre=centre, label="Cabin K", rate_hourly_pkr=1000, rate_daily_pkr=1200)
    booking = make_booking(
        cabin, freelancer, today_at(11), today_at(13), price_pkr=2000, status=BookingStatus.CONFIRMED
    )
    four_digits_unformatted = re.compile(r"\d{4}")

    def check(url: str, must_show: str | None = None) -> None:
        page.goto(f"{live_server.url}{url}")
        text = page.locator("main").inner_text()
        amounts = re.findall(r"Rs\s*[\d,]+|[\d,]+\s*روپے", text)
        assert amounts, f"no amount on {url}"
        for amount in amounts:
            assert not four_digits_unformatted.search(amount), f"{amount!r} on {url}"
            if language == "ur":
                assert "Rs" not in amount, f"{amount!r} on {url}"
        if must_show:
            assert must_show in text, f"{must_show!r} not on {url}"

    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    _log_in_any(page, live_server.url, freelancer, password)
    check(f"/centres/{centre.slug}/book/?date={today_at(10, days=1).date().isoformat()}")
    check(f"/bookings/{booking.reference}/", two_thousand)
    check("/bookings/", two_thousand)

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    _log_in_any(page, live_server.url, clerk, password)
    check(f"/desk/{centre.slug}/bookings/{booking.reference}/", two_thousand)
    check(f"/desk/{centre.slug}/bookings/{booking.reference}/pay/", two_thousand)
    check(f"/desk/{centre.slug}/")


def _log_in_any(page: Page, base: str, user: Any, password: str) -> None:
    """Log in through the form in whichever language the page speaks (fields by their names)."""
    secret = staff_totp(user)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name='login']").fill(user.email)
    page.locator("input[name='password']").fill(password)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    enter_code(page, secret)


def test_the_desk_names_people_by_their_registered_name_and_counts_early_check_ins(
    page: Page, live_server: Any, running_clock: None, centre: Any, cabin: Any, clerk: Any, password: str
) -> None:
    from tests.freelancers.factories import RegistrationFactory

    # Signed up without a name on the account: the registration (as on the CNIC) has it.
    person = RegistrationFactory(submitted=True, user__full_name="", full_name="Hira Baloch").user
    booking = make_booking(cabin, person, today_at(11), today_at(13), price_pkr=400)
    log_in(page, live_server.url, clerk, password)
    page.goto(f"{live_server.url}/desk/{centre.slug}/")
    free = page.locator("[data-count='free']")
    expect(free).to_contain_text("1")  # Cabin A is free until 11:00
    expect(page.locator(f"#booking-{booking.reference}")).to_contain_text("Hira Baloch")

    scan = page.get_by_label("Scan or type a booking reference")
    scan.fill(booking.reference)
    scan.press("Enter")
    expect(page.locator("#scan-result")).to_contain_text("Hira Baloch is checked in at 10:3")
    expect(page.locator("#scan-result")).not_to_contain_text(person.email)
    # Checked in half an hour early: she is in the cabin now, so it is not free.
    expect(free).to_have_text(re.compile(r"^0\s*/\s*1$"))

    page.goto(f"{live_server.url}/desk/{centre.slug}/bookings/{booking.reference}/")
    expect(page.get_by_role("heading", name="Hira Baloch")).to_be_visible()
    page.get_by_role("link", name="Take payment").click()
    expect(page.locator("main")).to_contain_text("Hira Baloch")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator("main")).to_contain_text("Received from")
    expect(page.locator("main")).to_contain_text("Hira Baloch")
    expect(page.locator("main")).not_to_contain_text(person.email)
