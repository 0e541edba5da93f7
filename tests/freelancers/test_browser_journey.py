"""The whole registration in Chromium: sign up, fill every step with uploads, submit; PSEB asks for
changes in the admin; the freelancer fixes and resubmits; PSEB approves; the certificate PDF downloads
and the public verification page says it is valid."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from freelancers.models import Registration, SkillCategory
from tests.freelancers.conftest import PDF_BYTES, image_bytes
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pseb(make_user: Any) -> Any:
    """A PSEB reviewer (not a superuser), in the group the data migration creates."""
    # Transactional tests flush tables, so the migration's rows are recreated here.
    group, _ = Group.objects.get_or_create(name="PSEB reviewer")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="freelancers",
            codename__in=[
                "view_registration",
                "change_registration",
                "review_registration",
                "view_document",
                "view_platformprofile",
                "view_registrationevent",
            ],
        )
    )
    user = make_user("reviewer.browser@pseb.test", full_name="Rabia Reviewer", is_staff=True)
    user.groups.add(group)
    SkillCategory.objects.get_or_create(code="web-development", defaults={"name_en": "Web development"})
    return user


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    secret = staff_totp(email)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    enter_code(page, secret)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _admin_decide(page: Page, base: str, registration_id: int, decision: str, reason: str = "") -> None:
    page.goto(f"{base}/admin/freelancers/registration/{registration_id}/change/")
    page.locator("#content").get_by_role("link", name=decision).first.click()
    if reason:
        page.get_by_label(re.compile("Reason")).fill(reason)
    page.get_by_role("button", name=decision).click()
    expect(page.locator(".messagelist")).to_contain_text(decision)


def test_freelancer_registers_is_sent_back_resubmits_is_approved_and_verified(
    page: Page,
    browser: Browser,
    live_server: Any,
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
    pseb: Any,
    password: str,
    tmp_path: Path,
) -> None:
    base = live_server.url
    email, user_password = "hina.browser@example.pk", "Karachi-Freelance-2026"

    # 1. Sign up and verify the email (sent by the real Celery worker).
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(user_password)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(user_password)
    page.get_by_role("button", name="Sign Up").click()
    message = wait_for(lambda: next((m for m in mail.outbox if m.to == [email]), None))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0).replace("http://testserver", base))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # 2. Start the registration from the navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registration").click()
    page.get_by_role("button", name="Start registration").click()

    # Identity
    page.get_by_label("Full name (as on your CNIC)").fill("Hina Baloch")
    page.get_by_label("Father's or husband's name").fill("Karim Baloch")
    page.get_by_label("Date of birth").fill("1999-06-15")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("CNIC number").fill("4210112345671")
    page.get_by_label("Mobile number").fill("0333-7654321")
    page.get_by_label("City").fill("Karachi")
    page.get_by_label("Province or territory").select_option("sindh")
    page.get_by_label("Address").fill("Flat 9, Block 13-D, Gulshan-e-Iqbal")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Step 2: Work")).to_be_visible()

    # Work
    page.get_by_label("Web development").check()
    page.get_by_label("Years of freelance experience").fill("3")
    page.get_by_label("Platform 1").select_option("upwork")
    page.get_by_label("Profile link 1").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#id_profiles-0-url_error")).to_contain_text("starting with https://")
    page.get_by_label("Profile link 1").fill("https://www.upwork.com/freelancers/~01hina")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Step 3: Documents")).to_be_visible()

    # Documents: a disguised file first, then real ones.
    disguised = tmp_path / "front.jpg"
    disguised.write_bytes(PDF_BYTES)
    front, back, photo = tmp_path / "cnic-front.jpg", tmp_path / "cnic-back.png", tmp_path / "me.jpg"
    front.write_bytes(image_bytes("JPEG", exif=True))
    back.write_bytes(image_bytes("PNG"))
    photo.write_bytes(image_bytes("JPEG", size=(400, 500)))
    page.get_by_label("CNIC front").set_input_files(disguised)
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.locator("#id_cnic_front_error")).to_contain_text("really a PDF")
    page.get_by_label("CNIC front").set_input_files(front)
    page.get_by_label("CNIC back").set_input_files(back)
    page.get_by_label("Photograph").set_input_files(photo)
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", name="Step 4: Declaration")).to_be_visible()

    # Declaration and review
    page.get_by_label(re.compile("I declare")).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Step 5: Review and submit")).to_be_visible()
    expect(page.locator(".reg-summary").first).to_contain_text("42101-1234567-1")
    page.get_by_role("button", name="Submit registration").click()
    expect(page.locator(".messages")).to_contain_text("was submitted")
    expect(page.locator(".reg-status")).to_contain_text("Submitted, awaiting review")
    registration = Registration.objects.get(user__email=email)
    assert registration.mobile == "+923337654321"
    wait_for(lambda: any("submitted" in m.subject for m in mail.outbox if m.to == [email]))

    # 3. PSEB asks for changes in the admin (a separate browser session).
    admin = browser.new_context().new_page()
    csp_errors: list[str] = []
    admin.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    _log_in(admin, base, pseb.email, password)
    admin.goto(f"{base}/admin/freelancers/registration/?q=42101-1234567-1")
    expect(admin.locator("#result_list")).to_contain_text("42101-*******-1")
    # The documents' thumbnails are bounded by the admin's stylesheet (no inline style for the CSP to drop).
    admin.goto(f"{base}/admin/freelancers/registration/{registration.pk}/change/")
    thumbnail = admin.locator("img.document-thumbnail").first
    expect(thumbnail).to_be_visible()
    thumbnail.evaluate("img => img.decode()")
    natural, shown = thumbnail.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert natural > 320 >= shown, (natural, shown)
    assert not csp_errors, csp_errors
    _admin_decide(
        admin,
        base,
        registration.pk,
        "Request changes",
        "Please write your full address with the house number.",
    )

    # 4. The freelancer sees why, edits and resubmits.
    wait_for(lambda: any("asks for changes" in m.subject for m in mail.outbox if m.to == [email]))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registration").click()
    expect(page.locator(".reg-reason")).to_contain_text("full address with the house number")
    page.get_by_role("link", name="Edit my registration").click()
    page.get_by_label("Address").fill("House 12, Flat 9, Block 13-D, Gulshan-e-Iqbal")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit again").click()
    expect(page.locator(".reg-status")).to_contain_text("Submitted, awaiting review")

    # 5. PSEB approves.
    _admin_decide(admin, base, registration.pk, "Approve")
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.registration_number
    approved_mail = wait_for(lambda: next((m for m in mail.outbox if "approved" in m.subject), None))
    assert registration.registration_number in approved_mail.body

    # 6. The certificate downloads as a PDF, and the public page verifies it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registration").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download certificate (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/verify/{registration.registration_number}/")
    expect(visitor.locator(".reg-verify")).to_contain_text("This registration is valid.")
    expect(visitor.locator(".reg-verify")).to_contain_text("Hina Baloch")
    expect(visitor.locator("body")).not_to_contain_text("42101")
