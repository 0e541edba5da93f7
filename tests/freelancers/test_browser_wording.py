"""Issue 11, defect 12: wording that said a thing twice or promised what was not there."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    secret = staff_totp(email)  # PSEB staff sign in with a second factor
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    enter_code(page, secret)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_admins_decision_page_has_one_heading(
    page: Page, live_server: Any, pseb_admin: Any, password: str
) -> None:
    registration = RegistrationFactory(submitted=True, full_name="Sadia Noor")
    _log_in(page, live_server.url, pseb_admin.email, password)
    page.goto(f"{live_server.url}/admin/freelancers/registration/{registration.pk}/change/")
    page.locator("#content").get_by_role("link", name="Approve").first.click()
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    expect(page.get_by_role("heading", name="Approve", exact=True)).to_have_count(1)


def test_an_approved_freelancer_sees_the_verification_link_they_are_told_to_share(
    page: Page, live_server: Any, password: str
) -> None:
    registration = RegistrationFactory(approved=True)
    _log_in(page, live_server.url, registration.user.email, password)
    page.goto(f"{live_server.url}/registration/")
    expect(page.get_by_text("share your verification link with clients")).to_be_visible()
    link = page.locator(f"main a[href$='/verify/{registration.registration_number}/']")
    expect(link).to_be_visible()
    expect(link).to_contain_text(f"/verify/{registration.registration_number}/")
    # An absolute address (SITE_URL), to paste anywhere.
    assert link.get_attribute("href").startswith("http")


def test_the_documents_still_needed_read_as_a_list(page: Page, live_server: Any, password: str) -> None:
    registration = RegistrationFactory()
    _log_in(page, live_server.url, registration.user.email, password)
    page.goto(f"{live_server.url}/registration/documents/")
    expect(page.get_by_text("Still needed:")).to_contain_text("CNIC front, CNIC back, Photograph")


def test_an_address_ending_with_its_city_does_not_say_the_city_twice(
    page: Page, live_server: Any, password: str
) -> None:
    centre = CentreFactory(
        slug="g9-words", city="Islamabad", province="ict", address="PSEB Building, Markaz G-9, Islamabad"
    )
    weekdays_open(centre)
    CabinFactory(centre=centre, label="Cabin 1")
    user = RegistrationFactory(submitted=True).user
    _log_in(page, live_server.url, user.email, password)
    page.goto(f"{live_server.url}/centres/{centre.slug}/")
    expect(page.locator("main")).not_to_contain_text("Islamabad, Islamabad")
    start = tomorrow_at(10).isoformat()
    space = centre.spaces.get().pk
    page.goto(f"{live_server.url}/centres/{centre.slug}/book/review/?space={space}&start={quote(start)}")
    expect(page.locator("#review-summary")).to_contain_text("PSEB Building, Markaz G-9, Islamabad")
    expect(page.locator("main")).not_to_contain_text("Islamabad, Islamabad")
