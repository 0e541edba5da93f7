"""The registration pages: steps saved as drafts, hostile input refused cleanly, documents private."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from freelancers.models import Document, Registration
from tests.freelancers.conftest import PDF_BYTES, image_bytes, stored_files
from tests.freelancers.factories import DocumentFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

IDENTITY = {
    "full_name": "Ayesha Khan",
    "guardian_name": "Tariq Khan",
    "date_of_birth": "1998-04-23",
    "gender": "female",
    "cnic": "3520212345673",
    "mobile": "0300-1234567",
    "city": "Lahore",
    "province": "punjab",
    "address": "House 5, Street 2, Model Town",
}


def test_dashboard_invites_a_new_user_to_start(freelancer_client: Client) -> None:
    response = freelancer_client.get(reverse("freelancers:dashboard"))
    assert response.status_code == 200
    assert "Start registration" in response.content.decode()


def test_opening_a_step_creates_nothing_until_the_person_starts(
    freelancer_client: Client, freelancer: Any
) -> None:
    response = freelancer_client.get(reverse("freelancers:identity"))
    assert response.status_code == 302 and response["Location"] == reverse("freelancers:dashboard")
    assert not Registration.objects.filter(user=freelancer).exists()
    freelancer_client.post(reverse("freelancers:start"))
    freelancer_client.post(reverse("freelancers:start"))  # twice is still one draft
    assert Registration.objects.filter(user=freelancer, status="draft").count() == 1


def test_removing_a_document_deletes_the_row_and_after_commit_the_file(
    freelancer: Any, freelancer_client: Client, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    document = DocumentFactory(registration=RegistrationFactory(user=freelancer))
    assert len(stored_files(private_media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = freelancer_client.post(
            reverse("freelancers:document_delete", args=[document.pk]), follow=True
        )
    assert "removed" in response.content.decode()
    assert not Document.objects.exists() and stored_files(private_media) == []


def test_nobody_removes_another_persons_document(outsider: Any) -> None:
    document = DocumentFactory()
    RegistrationFactory(user=outsider)
    client = Client()
    client.force_login(outsider)
    response = client.post(reverse("freelancers:document_delete", args=[document.pk]), follow=True)
    assert "not found" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_expired_registration_is_renewed_from_the_dashboard(
    freelancer: Any, freelancer_client: Client
) -> None:
    RegistrationFactory(user=freelancer, expired=True, with_documents=True)
    page = freelancer_client.get(reverse("freelancers:dashboard")).content.decode()
    assert "Renew my registration" in page
    response = freelancer_client.post(reverse("freelancers:submit"), follow=True)
    assert "was submitted" in response.content.decode()
    assert Registration.objects.get(user=freelancer).status == "submitted"


def test_anonymous_visitor_is_sent_to_log_in() -> None:
    response = Client().get(reverse("freelancers:identity"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_identity_step_saves_the_draft_canonically_and_moves_on(
    freelancer_client: Client, freelancer: Any
) -> None:
    response = freelancer_client.post(reverse("freelancers:identity"), {**IDENTITY, "save_continue": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("freelancers:work")
    registration = Registration.objects.get(user=freelancer)
    assert (registration.cnic, registration.mobile, registration.status) == (
        "35202-1234567-3",
        "+923001234567",
        "draft",
    )


def test_partial_identity_is_kept_as_a_draft(freelancer_client: Client, freelancer: Any) -> None:
    freelancer_client.post(reverse("freelancers:identity"), {"full_name": "Ayesha Khan", "save_draft": "1"})
    registration = Registration.objects.get(user=freelancer)
    assert registration.full_name == "Ayesha Khan" and registration.cnic is None
    page = freelancer_client.get(reverse("freelancers:identity")).content.decode()
    assert 'value="Ayesha Khan"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cnic", "35202-ABCDEFG-3", "13 digits"),
        ("full_name", "A" * 10_000, "at most 150 characters"),
        ("mobile", "051-1234567", "Pakistani mobile number"),
        ("date_of_birth", "2015-01-01", "18 or older"),
        ("date_of_birth", "not-a-date", "as a date"),
        ("province", "atlantis", "Select a valid choice"),
    ],
)
def test_bad_identity_input_is_refused_with_a_message_and_the_rest_is_kept(
    freelancer_client: Client, freelancer: Any, field: str, value: str, message: str
) -> None:
    response = freelancer_client.post(
        reverse("freelancers:identity"), {**IDENTITY, field: value, "save_continue": "1"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    registration = Registration.objects.get(user=freelancer)
    stored = getattr(registration, field)
    assert stored in (None, "") or str(stored) != value  # the wrong value is not stored
    # One wrong field no longer throws the step away (issue 11): the right ones are in the draft.
    assert registration.city == "Lahore" and registration.guardian_name == "Tariq Khan"


def test_cnic_already_registered_by_someone_else_is_refused_on_the_page(
    freelancer_client: Client, freelancer: Any
) -> None:
    RegistrationFactory(cnic="35202-1234567-3", full_name="Zainab Bibi", submitted=True)
    response = freelancer_client.post(reverse("freelancers:identity"), {**IDENTITY, "save_continue": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "already registered" in page and "Zainab" not in page


def test_work_step_saves_skills_and_profile_links(
    freelancer_client: Client, freelancer: Any, skills: Any
) -> None:
    response = freelancer_client.post(
        reverse("freelancers:work"),
        {
            "skills": ["web-development"],
            "years_of_experience": "4",
            "ntn": "",
            "profiles-TOTAL_FORMS": "2",
            "profiles-INITIAL_FORMS": "0",
            "profiles-0-platform": "upwork",
            "profiles-0-url": "https://www.upwork.com/freelancers/~01ayesha",
            "profiles-1-platform": "",
            "profiles-1-url": "",
            "save_continue": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("freelancers:documents")
    registration = Registration.objects.get(user=freelancer)
    assert [p.url for p in registration.profiles.all()] == ["https://www.upwork.com/freelancers/~01ayesha"]
    assert registration.years_of_experience == 4


def test_javascript_profile_link_is_refused_and_nothing_is_stored(
    freelancer_client: Client, freelancer: Any, skills: Any
) -> None:
    response = freelancer_client.post(
        reverse("freelancers:work"),
        {
            "skills": ["web-development"],
            "years_of_experience": "4",
            "profiles-TOTAL_FORMS": "1",
            "profiles-INITIAL_FORMS": "0",
            "profiles-0-platform": "portfolio",
            "profiles-0-url": "javascript:alert(document.cookie)",
            "save_continue": "1",
        },
    )
    assert response.status_code == 200
    assert "starting with https://" in response.content.decode()
    registration = Registration.objects.get(user=freelancer)
    assert not registration.profiles.exists() and registration.years_of_experience is None


def _upload(client: Client, **files: Any) -> Any:
    return client.post(reverse("freelancers:documents"), {**files, "save_draft": "1"})


def test_documents_are_uploaded_cleaned_and_stored_privately(
    freelancer_client: Client, freelancer: Any, private_media: Path, make_file: Any
) -> None:
    freelancer_client.post(reverse("freelancers:start"))
    response = freelancer_client.post(
        reverse("freelancers:documents"),
        {
            "cnic_front": make_file("front.jpg"),
            "cnic_back": make_file("back.png", image_bytes("PNG")),
            "photo": make_file("me.jpg"),
            "save_continue": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("freelancers:declaration")
    documents = Document.objects.filter(registration__user=freelancer)
    assert sorted(d.kind for d in documents) == ["cnic_back", "cnic_front", "photo"]
    for path in stored_files(private_media):
        assert "private/registrations" in str(path)
    assert len(stored_files(private_media)) == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cnic.jpg", PDF_BYTES, "really a PDF"),
        (
            "cnic.png",
            b"<!doctype html><html><body><script>alert(1)</script></body></html>",
            "Only JPEG or PNG",
        ),
    ],
)
def test_disguised_files_are_refused_and_nothing_is_stored(
    freelancer_client: Client,
    freelancer: Any,
    private_media: Path,
    make_file: Any,
    name: str,
    content: bytes,
    message: str,
) -> None:
    freelancer_client.post(reverse("freelancers:start"))
    response = _upload(freelancer_client, cnic_front=make_file(name, content))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Document.objects.exists() and stored_files(private_media) == []


def test_a_50_mb_upload_is_refused_without_reaching_the_disk(
    freelancer_client: Client, freelancer: Any, private_media: Path, make_file: Any
) -> None:
    freelancer_client.post(reverse("freelancers:start"))
    big = make_file("huge.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (50 * 1024 * 1024))
    response = _upload(freelancer_client, photo=big)
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert not Document.objects.exists() and stored_files(private_media) == []


def test_owner_can_open_their_document(freelancer: Any, freelancer_client: Client) -> None:
    document = DocumentFactory(registration=RegistrationFactory(user=freelancer))
    response = freelancer_client.get(reverse("freelancers:document", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"] and "sandbox" in response["Content-Security-Policy"]


def test_another_freelancer_gets_404_and_anonymous_gets_403_for_a_document(outsider: Any) -> None:
    document = DocumentFactory()
    url = reverse("freelancers:document", args=[document.pk])
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 403


def test_pseb_reviewer_can_open_any_document_but_plain_staff_cannot(reviewer: Any, make_user: Any) -> None:
    document = DocumentFactory()
    url = reverse("freelancers:document", args=[document.pk])
    client = Client()
    client.force_login(reviewer)
    assert client.get(url).status_code == 200
    client.force_login(make_user(is_staff=True))
    assert client.get(url).status_code == 404


def test_media_url_serves_nothing(freelancer: Any, freelancer_client: Client) -> None:
    document = DocumentFactory(registration=RegistrationFactory(user=freelancer))
    assert freelancer_client.get("/media-not-served/" + str(document.file.name)).status_code == 404


def test_review_page_lists_what_is_missing_and_submit_refuses(freelancer_client: Client) -> None:
    freelancer_client.post(reverse("freelancers:start"))
    page = freelancer_client.get(reverse("freelancers:review")).content.decode()
    assert "Before you can submit" in page and "CNIC is missing" in page
    response = freelancer_client.post(reverse("freelancers:submit"), follow=True)
    assert "not complete yet" in response.content.decode()


def test_complete_registration_is_submitted_from_the_review_page(
    freelancer_client: Client, complete_draft: Registration, mailoutbox: Any
) -> None:
    response = freelancer_client.post(reverse("freelancers:submit"), follow=True)
    assert "was submitted" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"
    # Once submitted, the steps are closed for editing.
    response = freelancer_client.get(reverse("freelancers:identity"), follow=True)
    assert "cannot be changed now" in response.content.decode()


def test_dashboard_shows_the_reason_when_changes_are_requested(
    freelancer: Any, freelancer_client: Client
) -> None:
    RegistrationFactory(
        user=freelancer, changes_requested=True, decision_reason="Upload a clearer CNIC back."
    )
    page = freelancer_client.get(reverse("freelancers:dashboard")).content.decode()
    assert "Upload a clearer CNIC back." in page and "Edit my registration" in page


def test_approved_freelancer_gets_a_certificate_page_and_pdf(
    freelancer: Any, freelancer_client: Client
) -> None:
    registration = RegistrationFactory(user=freelancer, approved=True)
    page = freelancer_client.get(reverse("freelancers:certificate")).content.decode()
    assert str(registration.registration_number) in page and "data:image/svg+xml" in page
    pdf = freelancer_client.get(reverse("freelancers:certificate_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and registration.registration_number in pdf["Content-Disposition"]
    assert f"/verify/{registration.registration_number}/".encode() in pdf.content  # the link under the QR


def test_no_certificate_before_approval(freelancer: Any, freelancer_client: Client) -> None:
    RegistrationFactory(user=freelancer, submitted=True)
    assert freelancer_client.get(reverse("freelancers:certificate")).status_code == 404
    assert freelancer_client.get(reverse("freelancers:certificate_pdf")).status_code == 404


def test_public_verification_shows_name_and_validity_but_no_personal_data() -> None:
    registration = RegistrationFactory(approved=True, cnic="35202-1234567-3", mobile="+923001234567")
    response = Client().get(reverse("freelancers:verify", args=[registration.registration_number]))
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "This registration is valid" in page
        and registration.full_name in page
    )
    # (registration numbers are digits too, so look for the mobile in its written forms)
    for secret in ("35202", "1234567", "0300-123", "+92300", registration.user.email, registration.address):
        assert secret not in page


def test_verification_of_an_unknown_or_expired_number() -> None:
    assert Client().get(reverse("freelancers:verify", args=["PSEB-FL-2026-999999"])).status_code == 404
    expired = RegistrationFactory(expired=True)
    page = Client().get(reverse("freelancers:verify", args=[expired.registration_number])).content.decode()
    assert "not valid" in page


def test_verify_form_redirects_to_the_number(db: Any) -> None:
    response = Client().get(reverse("freelancers:verify_lookup"), {"number": " pseb-fl-2026-000001 "})
    assert response["Location"] == reverse("freelancers:verify", args=["PSEB-FL-2026-000001"])


def test_pages_work_in_urdu(freelancer: Any, freelancer_client: Client) -> None:
    freelancer.language = "ur"
    freelancer.save()
    freelancer_client.cookies["erozgar_language"] = "ur"
    freelancer_client.post(reverse("freelancers:start"))
    page = freelancer_client.get(reverse("freelancers:identity")).content.decode()
    assert 'dir="rtl"' in page


def test_steps_and_messages_are_translated_to_urdu(freelancer: Any, freelancer_client: Client) -> None:
    freelancer_client.cookies["erozgar_language"] = "ur"
    freelancer_client.post(reverse("freelancers:start"))
    page = freelancer_client.get(reverse("freelancers:identity")).content.decode()
    assert "مرحلہ 1: شناخت" in page and "شناختی کارڈ نمبر" in page
    response = freelancer_client.post(reverse("freelancers:identity"), {"cnic": "abc", "save_draft": "1"})
    assert "شناختی کارڈ نمبر 13 ہندسوں میں لکھیں" in response.content.decode()
