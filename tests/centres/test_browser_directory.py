"""A visitor finds a centre in Chromium by province and facility, opens it, reads spaces and prices:
English, then Urdu."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from centres import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_offline_tiles(page: Page) -> Page:
    # Map tiles come from the internet; the test must not depend on it (the list works without).
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


def test_visitor_filters_by_province_and_facility_and_reads_prices_in_english_and_urdu(
    page_offline_tiles: Page, live_server: Any
) -> None:
    page = page_offline_tiles
    demo.seed(io.StringIO())

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Centres").click()
    expect(page.get_by_role("heading", name="Find an e-Rozgar centre")).to_be_visible()

    page.get_by_label("Province").select_option(label="Punjab")
    page.get_by_label("Facility").select_option(label="Women-only area")
    page.get_by_role("button", name="Show centres").click()

    expect(page).to_have_url(re.compile(r"province=punjab.*facility=women-only-area"))
    expect(page.get_by_role("heading", name="2 centres found")).to_be_visible()
    results = page.locator(".centre-list")
    expect(results.get_by_role("link", name="e-Rozgar Centre Lahore (Arfa Tower)")).to_be_visible()
    expect(results.get_by_role("link", name="e-Rozgar Centre Bahawalpur")).to_be_visible()
    expect(results.get_by_role("link", name="e-Rozgar Centre Faisalabad")).to_have_count(0)
    # The filters stay chosen after the search.
    expect(page.get_by_label("Province")).to_have_value("punjab")

    results.get_by_role("link", name="e-Rozgar Centre Lahore (Arfa Tower)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("e-Rozgar Centre Lahore (Arfa Tower)")
    spaces = page.get_by_role("region", name="Spaces and prices")
    expect(spaces.get_by_role("heading", name="Open workstation")).to_be_visible()
    expect(spaces.get_by_role("heading", name="Meeting room")).to_be_visible()
    expect(spaces.get_by_role("row", name=re.compile(r"^WS-001\b")).first).to_contain_text("Rs 4,000")
    expect(page.get_by_role("link", name="Book a space")).to_have_attribute(
        "href", "/centres/lahore-arfa-tower/book/"
    )
    expect(page.locator("tr[aria-current='date']")).to_contain_text("Today")

    # The same journey in Urdu, switched with the header's language button.
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="جگہیں اور قیمتیں")).to_be_visible()
    expect(page.get_by_role("heading", name="اوپن ورک اسٹیشن")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^WS-001\b")).first).to_contain_text("4,000 روپے")

    page.get_by_role("link", name="مراکز").first.click()
    page.get_by_label("صوبہ").select_option(label="سندھ")
    page.get_by_label("سہولت").select_option(label="خواتین کے لیے مخصوص جگہ")
    page.get_by_role("button", name="مراکز دکھائیں").click()
    expect(page.get_by_role("heading", name="1 مرکز ملا")).to_be_visible()
    page.get_by_role("link", name="e-Rozgar Centre Hyderabad").click()
    expect(page.get_by_role("heading", name="میٹنگ روم")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^MR-001\b"))).to_contain_text("800 روپے")
    expect(page.get_by_role("link", name="جگہ بک کریں")).to_be_visible()


def test_map_shows_the_page_of_centres_when_tiles_load_and_hides_when_they_cannot(
    page: Page, live_server: Any, settings: Any
) -> None:
    demo.seed(io.StringIO())
    tile = (settings.BASE_DIR / "static/vendor/leaflet/images/layers.png").read_bytes()
    page.route(
        re.compile(r"^https://tile\.openstreetmap\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )

    page.goto(f"{live_server.url}/centres/?province=sindh")

    expect(page.locator("#centres-map")).to_be_visible()
    expect(page.locator("#centres-map .leaflet-marker-icon")).to_have_count(3)
    expect(page.locator("#centres-map-note")).to_be_hidden()
    expect(page.get_by_role("button", name="e-Rozgar Centre Hyderabad")).to_be_visible()

    page.unroute(re.compile(r"^https://tile\.openstreetmap\.org/"))
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    page.goto(f"{live_server.url}/centres/?province=punjab")

    expect(page.get_by_text("The map could not load; the list below has every centre.")).to_be_visible()
    expect(page.locator("#centres-map")).to_be_hidden()
    expect(page.locator(".centre-list > li")).to_have_count(3)
