"""Issue 11, defect 6: the language stored on the account follows the person to a new browser, and
the account pages have a language setting."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name='login']").fill(email)
    page.locator("input[name='password']").fill(password)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_person_who_chose_urdu_gets_urdu_after_signing_in_on_a_new_browser(
    browser: Browser, live_server: Any, make_user: Callable[..., User], password: str
) -> None:
    user = make_user(language="ur")
    page = browser.new_context(locale="en-GB").new_page()  # a new browser: no language cookie
    _log_in(page, live_server.url, user.email, password)
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(f"{live_server.url}/bookings/")
    expect(page.locator("html")).to_have_attribute("lang", "ur")


def test_a_language_chosen_before_signing_in_is_kept(
    browser: Browser, live_server: Any, make_user: Callable[..., User], password: str
) -> None:
    user = make_user(language="ur")
    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "erozgar_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    _log_in(page, live_server.url, user.email, password)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_account_pages_have_a_language_setting(
    page: Page, live_server: Any, make_user: Callable[..., User], password: str
) -> None:
    user = make_user(language="en")
    _log_in(page, live_server.url, user.email, password)
    page.goto(f"{live_server.url}/accounts/email/")
    page.get_by_role("navigation", name="Account settings").get_by_role("link", name="Language").click()
    expect(page.get_by_role("heading", name="Language", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="English")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("radio", name="اردو").check()
    page.get_by_role("button", name="Save language").click()
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.get_by_role("heading", name="زبان", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="اردو")).to_be_checked()
    assert_accessible(page)
    user.refresh_from_db()
    assert user.language == "ur"
    assert re.search(r"/accounts/language/$", page.url)
