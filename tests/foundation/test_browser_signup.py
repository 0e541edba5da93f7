"""A person signs up in Chromium, verifies their email, logs in, reads the page in Urdu, logs out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_log_in_switch_to_urdu_and_log_out(
    page: Page, live_server: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    email, password = "amina.browser@example.pk", "Lahore-Freelance-2026"

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(password)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # The verification email is queued by the request and sent by the real Celery worker.
    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert message.to == [email]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0).replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()

    # Log out, then log in with the new password.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Switch to Urdu: the page turns right-to-left and speaks Urdu.
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    from accounts.models import User

    assert User.objects.get(email=email).language == "ur"

    # Log out (in Urdu the button is still a button in the header).
    page.locator("header form[action$='/accounts/logout/'] button").click()
    expect(page.locator("header a[href$='/accounts/login/']")).to_be_visible()
