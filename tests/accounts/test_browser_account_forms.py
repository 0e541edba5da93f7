"""In Chromium: account forms speak the page's language and tie every message to its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_urdu_sign_up_with_mistakes_is_explained_at_each_field(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    email = page.get_by_label("ای میل:", exact=True)
    email.fill("amina.example.pk")
    page.keyboard.press("Tab")
    expect(page.get_by_label("پاس ورڈ:", exact=True)).to_be_focused()
    page.keyboard.type("Sturdy-Pass-Word-77")
    page.keyboard.press("Tab")
    page.keyboard.type("Sturdy-Pass-Word-78")
    page.keyboard.press("Enter")

    # The browser does not block the form with its own (English) bubble: the server answers in Urdu.
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("درست ای میل ایڈریس درج کریں"))
    again = page.get_by_label("پاس ورڈ (دوبارہ):", exact=True)
    expect(again).to_have_accessible_description("دونوں خانوں میں ایک جیسا پاس ورڈ درج کریں۔")
    assert not User.objects.exists()


def test_a_wrong_password_is_announced_as_an_alert_in_urdu(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    user = make_user("alert@example.pk")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="اردو").click()

    page.get_by_label("ای میل:", exact=True).fill(user.email)
    page.get_by_label("پاس ورڈ:", exact=True).fill("not-the-password")
    page.get_by_role("button", name="لاگ ان").click()

    expect(page.get_by_role("alert")).to_have_text("آپ کا درج کردہ ای میل ایڈریس یا پاس ورڈ درست نہیں ہے۔")
    expect(page.get_by_label("مجھے یاد رکھیں")).not_to_be_checked()
