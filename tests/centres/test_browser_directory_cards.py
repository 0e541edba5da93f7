"""On a 390 px phone, a filtered directory starts with its results, and each centre card says the
price from, how many spaces are free today, and has a Book button (English and Urdu)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from centres.hours import LOCAL_TZ, local_today
from centres.templatetags.centres_tags import pkr
from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory
from tests.centres.factories import CentreFactory, FacilityFactory, weekdays_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="en-GB", timezone_id="Asia/Karachi"
    )
    page = context.new_page()
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    yield page
    context.close()


@pytest.fixture
def ten_in_the_morning() -> Iterator[None]:
    """Every cabin has free time left today whenever the test runs."""
    with time_machine.travel(datetime.combine(local_today(), time(10), LOCAL_TZ), tick=True):
        yield


@pytest.mark.parametrize("language", ["en", "ur"])
def test_filtered_results_start_above_the_fold_with_price_free_count_and_book(
    phone: Page, live_server: Any, language: str, ten_in_the_morning: None
) -> None:
    wifi = FacilityFactory(code="wifi")
    for city in ("Multan", "Multan", "Quetta"):
        centre = CentreFactory(city=city, latitude=30.2, longitude=71.5)
        centre.facilities.add(wifi)
        weekdays_open(centre, days=range(7))
        CabinFactory.create_batch(3, centre=centre, rate_hourly_pkr=250)
    page = phone
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/centres/?city=Multan&facility=wifi")

    cards = page.locator(".centre-card")
    expect(cards).to_have_count(2)
    first = cards.first
    box = first.bounding_box()
    assert box is not None
    # The first card starts on the first screen, its Book button too, without scrolling.
    assert box["y"] < PHONE["height"] * 0.75, box
    with translation.override(language):
        book = translation.gettext("Book")
        price = translation.gettext("From %(price)s an hour") % {"price": pkr(250)}
        free = translation.ngettext("%(counter)s space free today", "%(counter)s spaces free today", 3) % {
            "counter": 3
        }
    button = first.get_by_role("link", name=book, exact=True)
    button_box = button.bounding_box()
    assert button_box is not None and button_box["y"] + button_box["height"] <= PHONE["height"]
    expect(first).to_contain_text(price)
    expect(first).to_contain_text(free)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    button.tap()
    expect(page).to_have_url(re.compile(r"/book/when/$"))
