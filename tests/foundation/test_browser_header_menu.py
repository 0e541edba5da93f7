"""On a phone the header's links fold into a Menu button: a keyboard-friendly disclosure."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.mark.parametrize(
    ("language", "menu", "centres"), [("en", "Menu", "Centres"), ("ur", "مینو", "مراکز")]
)
def test_the_phone_header_collapses_into_a_menu_that_the_keyboard_opens_and_escape_closes(
    page: Page, live_server: Any, language: str, menu: str, centres: str
) -> None:
    errors = _console_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    button = page.get_by_role("button", name=menu)
    link = page.get_by_role("navigation").get_by_role("link", name=centres, exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    header_height = page.locator(".site-header").evaluate("header => header.offsetHeight")
    assert header_height < 130  # brand, Menu and the language switch: no wall of links above the page

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    page.keyboard.press("Tab")  # the first link of the open menu comes straight after the button
    expect(page.get_by_role("navigation").get_by_role("link").first).to_be_focused()
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(link).to_be_hidden()

    button.click()
    link.click()
    expect(page).to_have_url(f"{live_server.url}/centres/")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_wide_screens_show_the_links_and_no_menu_button(page: Page, live_server: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation").get_by_role("link", name="Centres", exact=True)).to_be_visible()


def test_without_javascript_the_menu_stays_open(browser: Any, live_server: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Centres", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()
