"""In Chromium, on a phone, in Urdu and English: a person downloads their data, then deletes the account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from freelancers.models import Registration
from tests.a11y import axe_violations
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-Battery-42"


def _sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email", exact=False).first.fill(email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_person_on_a_phone_downloads_their_data_then_deletes_the_account(
    browser: Browser, live_server: Any, private_media: Path
) -> None:
    user = UserFactory(email="farah.naz@example.pk", full_name="Farah Naz")
    registration = RegistrationFactory(
        user=user, submitted=True, full_name="Farah Naz", cnic="37405-1112223-4"
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    _sign_in(page, live_server.url, user.email)

    page.goto(f"{live_server.url}/accounts/data/")
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    download_form = page.locator("form[action$='/export/']")
    download_form.get_by_label("Your current password").fill(PASSWORD)
    with page.expect_download() as info:
        download_form.get_by_role("button", name="Download my data").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert json.loads(archive.read("data.json"))["registration"]["cnic"] == "37405-1112223-4"

    delete_form = page.locator("form[action$='/delete/']")
    delete_form.get_by_label("Your current password").fill(PASSWORD)
    delete_form.get_by_role("button", name="Delete my account").click()
    # Not ticked: told what to fix, at the box, nothing deleted.
    expect(page.get_by_text("Tick the box to confirm.")).to_be_visible()
    assert Registration.objects.filter(pk=registration.pk).exists()

    delete_form = page.locator("form[action$='/delete/']")
    delete_form.get_by_label("Your current password").fill(PASSWORD)
    delete_form.get_by_label("I understand").check()
    delete_form.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account and your registration data have been deleted.")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/data/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # signed out, for good
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not User.objects.filter(email="farah.naz@example.pk").exists()
    context.close()


def test_the_page_reads_in_urdu_right_to_left(browser: Browser, live_server: Any) -> None:
    user = UserFactory(email="bilal.urdu@example.pk")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/accounts/data/")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="آپ کا ڈیٹا", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="میرا اکاؤنٹ حذف کریں")).to_be_visible()
    assert axe_violations(page) == []
    context.close()
