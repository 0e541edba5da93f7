"""The third phone journey of issue 11: on a 390 px phone, in English and in Urdu, a person cancels a
booking, the QR code and calendar link are gone at once, and the cancellation email arrives."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from bookings.models import Booking, BookingStatus
from bookings.services import booking_create
from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"cancel": "Cancel booking", "done": "Booking {ref} is cancelled."},
    "ur": {"cancel": "بکنگ منسوخ کریں", "done": "بکنگ {ref} منسوخ ہو گئی۔"},
}


@pytest.mark.parametrize("language", ["en", "ur"])
def test_on_a_phone_a_person_cancels_and_the_code_is_gone_and_the_email_sent(
    browser: Browser,
    live_server: Any,
    password: str,
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
    language: str,
) -> None:
    centre = CentreFactory(slug=f"phone-cancel-{language}")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 5")
    user = RegistrationFactory(submitted=True).user
    user.language = language
    user.save(update_fields=["language"])
    booking = booking_create(
        user=user, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(user.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(f"{live_server.url}/bookings/{booking.reference}/")
    expect(page.locator("html")).to_have_attribute("lang", language)  # the account's language
    expect(page.locator(".qr-code")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=WORDS[language]["cancel"]).tap()

    expect(page.get_by_text(WORDS[language]["done"].format(ref=booking.reference))).to_be_visible()
    expect(page.locator(".qr-code, svg.segno")).to_have_count(0)
    expect(page.locator("a[href$='.ics']")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED

    message = wait_for(lambda: next((m for m in mailoutbox if booking.reference in m.subject), None))
    assert message.to == [user.email]
    context.close()
