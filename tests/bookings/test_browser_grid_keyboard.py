"""The desktop grid is one tab stop: Tab enters and leaves it, the arrow keys move inside it
(mirrored in Urdu), the focused time is never hidden under the sticky hours or spaces, and a
hint says that it scrolls. Reaching a cabin at 14:00 took 84 Tab presses before."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.a11y import assert_accessible
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _grid(page: Page, live_server: Any, language: str = "en") -> Any:
    centre = CentreFactory(slug=f"grid-keys-{language}")
    weekdays_open(centre)
    for n in range(1, 5):
        CabinFactory(centre=centre, label=f"Cabin {n}")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/?date={tomorrow_at(0).date().isoformat()}")
    return centre


def test_a_cabin_at_14_00_is_a_few_key_presses_away_and_tab_leaves_the_grid(
    page: Page, live_server: Any
) -> None:
    _grid(page, live_server)
    expect(page.locator("#grid-hint")).to_be_visible()
    expect(page.locator("#grid-hint")).to_contain_text("scrolls sideways")
    presses = 0

    def press(key: str) -> None:
        nonlocal presses
        presses += 1
        page.keyboard.press(key)

    page.get_by_role("button", name="Show free times").focus()
    press("Tab")  # "Previous day"
    press("Tab")  # "Next day"
    press("Tab")  # the grid's scroll box
    press("Tab")  # the grid: its one tab stop, the first free time
    first = page.get_by_role("link", name="Book Cabin 1 at 09:00")
    expect(first).to_be_focused()
    for _ in range(10):
        press("ArrowRight")
    press("ArrowDown")
    press("ArrowDown")
    target = page.get_by_role("link", name="Book Cabin 3 at 14:00")
    expect(target).to_be_focused()
    assert presses <= 20, presses

    # Not hidden under the sticky spaces column nor the sticky hours row.
    cell = target.bounding_box()
    column = page.locator("tbody tr").nth(2).locator("th").bounding_box()
    hours = page.locator("thead").bounding_box()
    assert cell is not None and column is not None and hours is not None
    assert cell["x"] >= column["x"] + column["width"] - 1
    assert cell["y"] >= hours["y"] + hours["height"] - 1

    # Home and End go to the day's first and last time of the row.
    press("End")
    expect(page.get_by_role("link", name="Book Cabin 3 at 17:30")).to_be_focused()
    press("Home")
    expect(page.get_by_role("link", name="Book Cabin 3 at 09:00")).to_be_focused()

    # Tab leaves the grid in one press (the next focusable thing is after the table).
    press("Tab")
    assert page.evaluate("!document.activeElement.closest('.availability-grid')")
    # Shift+Tab comes back to the time last visited.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Book Cabin 3 at 09:00")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review your booking")).to_be_visible()
    assert_accessible(page)


def test_in_urdu_the_arrows_follow_the_right_to_left_grid(page: Page, live_server: Any) -> None:
    _grid(page, live_server, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(".availability-grid a.slot-free").first.focus()
    start = page.evaluate("document.activeElement.href")
    assert "T09%3A00" in start or "T09:00" in start
    page.keyboard.press("ArrowLeft")  # the next time is to the left in a right-to-left table
    after = page.evaluate("document.activeElement.href")
    assert "T09%3A30" in after or "T09:30" in after
    assert_accessible(page)
