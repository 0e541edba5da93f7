"""Issue 11, defect 7: a registration step keeps what was valid, an empty step is not "Saved",
"Before you can submit" links each point to its step, and the step bar marks finished steps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from freelancers import services
from freelancers.models import DocumentKind, Registration
from tests.a11y import assert_accessible
from tests.freelancers.factories import DocumentFactory, RegistrationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_one_wrong_field_keeps_the_rest_and_an_empty_step_is_not_saved(
    page: Page, live_server: Any, password: str
) -> None:
    user = UserFactory(full_name="")
    services.registration_start(user=user)  # an empty draft, as "Start your registration" makes
    _log_in(page, live_server.url, user.email, password)

    page.goto(f"{live_server.url}/registration/identity/")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Nothing was entered on this step")
    expect(page.locator(".messages")).not_to_contain_text("saved")

    page.get_by_label("Full name (as on your CNIC)").fill("Sadia Noor")
    page.get_by_label("City").fill("Multan")
    page.get_by_label("CNIC number").fill("123")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".messages")).to_contain_text("What you entered correctly is saved.")
    expect(page.get_by_label("CNIC number")).to_have_value("123")
    registration = Registration.objects.get(user=user)
    assert (registration.full_name, registration.city, registration.cnic) == ("Sadia Noor", "Multan", None)

    page.goto(f"{live_server.url}/registration/identity/")  # come back later: it is still there
    expect(page.get_by_label("Full name (as on your CNIC)")).to_have_value("Sadia Noor")


def test_before_you_can_submit_links_each_point_to_its_step_and_finished_steps_are_marked(
    page: Page, live_server: Any, password: str
) -> None:
    registration = RegistrationFactory()  # identity and work complete; documents and declaration not
    DocumentFactory(registration=registration, kind=DocumentKind.CNIC_FRONT)
    DocumentFactory(registration=registration, kind=DocumentKind.PHOTO)
    _log_in(page, live_server.url, registration.user.email, password)

    page.goto(f"{live_server.url}/registration/review/")
    steps = page.get_by_role("navigation", name="Registration steps")
    expect(steps.get_by_role("link", name="Identity (finished)")).to_be_visible()
    expect(steps.get_by_role("link", name="Work (finished)")).to_be_visible()
    expect(steps.get_by_role("link", name="Documents", exact=True)).to_be_visible()
    assert_accessible(page)

    alert = page.get_by_role("alert")
    alert.get_by_role("link", name="Upload: CNIC back.").click()
    expect(page).to_have_url(re.compile(r"/registration/documents/$"))
    page.go_back()
    page.get_by_role("alert").get_by_role("link", name="Accept the declaration.").click()
    expect(page).to_have_url(re.compile(r"/registration/declaration/$"))
