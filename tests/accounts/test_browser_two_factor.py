"""In Chromium: a desk clerk signs in, is made to set up an authenticator app before the desk opens,
types the app's code (computed here with allauth's own TOTP), and then works at the desk; the next
sign-in asks for a code."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from centres.models import StaffRole
from tests.centres.factories import CentreFactory, StaffMembershipFactory
from tests.two_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_sets_up_totp_before_reaching_the_desk_and_needs_a_code_next_time(
    page: Page, live_server: Any, make_user: Callable[..., User], password: str
) -> None:
    centre = CentreFactory(slug="lahore-arfa", status="active")
    clerk = make_user("clerk@example.pk", full_name="Desk Clerk")
    StaffMembershipFactory(centre=centre, user=clerk, role=StaffRole.DESK)
    base = live_server.url

    page.goto(f"{base}/accounts/login/?next=/desk/{centre.slug}/")
    page.get_by_label(re.compile(r"^Email")).fill(clerk.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()

    # Not the desk: the password once more, then the authenticator app's set-up.
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    page.goto(f"{base}/desk/{centre.slug}/")  # still no way round it
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))

    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()

    page.goto(f"{base}/desk/{centre.slug}/")
    expect(page.get_by_role("heading", name=re.compile("^Desk: "))).to_be_visible()

    # Next time: password, then the code.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next=/desk/{centre.slug}/")
    page.get_by_label(re.compile(r"^Email")).fill(clerk.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    # A code works once: wait for the app's next one, as a person would.
    time.sleep(30.5 - time.time() % 30)
    page.get_by_placeholder("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name=re.compile("^Desk: "))).to_be_visible()
