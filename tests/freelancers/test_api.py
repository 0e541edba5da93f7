"""The registration API: the freelancer's own draft, documents, submit, and public verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from freelancers.models import Document, Registration
from tests.freelancers.conftest import PDF_BYTES, image_bytes, stored_files
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/registration/"


@pytest.fixture
def api(freelancer: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(freelancer)
    return client


FULL = {
    "full_name": "Ayesha Khan",
    "guardian_name": "Tariq Khan",
    "date_of_birth": "1998-04-23",
    "gender": "female",
    "cnic": "35202-1234567-3",
    "mobile": "+92 300 1234567",
    "city": "Lahore",
    "province": "punjab",
    "address": "House 5, Street 2, Model Town",
    "skills": ["web-development"],
    "years_of_experience": 3,
    "profiles": [{"platform": "github", "url": "https://github.com/ayesha"}],
    "declaration_accepted": True,
}


def test_anonymous_cannot_read_or_write_a_registration() -> None:
    assert APIClient().get(ME).status_code in (401, 403)
    assert APIClient().put(ME, {"city": "Lahore"}, format="json").status_code in (401, 403)


def test_get_before_starting_is_404(api: APIClient) -> None:
    assert api.get(ME).status_code == 404


def test_put_saves_a_draft_with_canonical_identifiers(api: APIClient, freelancer: Any, skills: Any) -> None:
    response = api.put(ME, FULL, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (
        body["cnic"] == "35202-1234567-3" and body["mobile"] == "+923001234567" and body["status"] == "draft"
    )
    assert body["missing"] == {"documents": ["Upload: CNIC front, CNIC back, Photograph."]}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"cnic": "35202-12345X7-3"}, "cnic"),
        ({"full_name": "A" * 10_000}, "full_name"),
        ({"mobile": "12345"}, "mobile"),
        ({"date_of_birth": "2020-01-01"}, "date_of_birth"),
        ({"profiles": [{"platform": "upwork", "url": "javascript:alert(1)"}]}, "profiles.0"),
        ({"years_of_experience": 99}, "years_of_experience"),
        ({"skills": ["astrology"]}, "skills"),
        ({"gender": "robot"}, "gender"),
    ],
)
def test_bad_fields_get_400_with_a_message_for_the_field(
    api: APIClient, freelancer: Any, payload: dict[str, Any], field: str
) -> None:
    response = api.put(ME, payload, format="json")
    assert response.status_code == 400
    assert response.json()["fields"][field]
    registration = Registration.objects.filter(user=freelancer).first()
    assert registration is None or (registration.cnic is None and registration.full_name != "A" * 10_000)


def test_duplicate_cnic_gets_409_without_naming_the_owner(api: APIClient) -> None:
    RegistrationFactory(cnic="35202-1234567-3", full_name="Zainab Bibi")
    response = api.put(ME, {"cnic": "3520212345673"}, format="json")
    assert response.status_code == 409
    assert (
        "already registered" in response.json()["fields"]["cnic"][0]
        and "Zainab" not in response.content.decode()
    )


def test_upload_documents_then_submit(api: APIClient, skills: Any, mailoutbox: Any) -> None:
    api.put(ME, FULL, format="json")
    for kind in ("cnic_front", "cnic_back", "photo"):
        response = api.post(
            f"{ME}documents/", {"kind": kind, "file": _file(f"{kind}.jpg", image_bytes())}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["url"].startswith("/registration/documents/")
    response = api.post(f"{ME}submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert api.put(ME, {"city": "Quetta"}, format="json").status_code == 409
    assert api.post(f"{ME}submit/").status_code == 409


def test_submit_incomplete_lists_missing_fields(api: APIClient) -> None:
    api.put(ME, {"full_name": "Ayesha Khan"}, format="json")
    response = api.post(f"{ME}submit/")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete" and "cnic" in body["fields"] and "documents" in body["fields"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cnic.jpg", PDF_BYTES, "really a PDF"),
        ("cnic.png", b"<html><script>alert(1)</script></html>", "Only JPEG or PNG"),
        ("huge.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (50 * 1024 * 1024), "5 MB"),
    ],
)
def test_hostile_uploads_get_400_and_nothing_is_stored(
    api: APIClient, private_media: Path, name: str, content: bytes, message: str
) -> None:
    api.put(ME, {"full_name": "Ayesha Khan"}, format="json")
    response = api.post(
        f"{ME}documents/", {"kind": "cnic_front", "file": _file(name, content)}, format="multipart"
    )
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Document.objects.exists() and stored_files(private_media) == []


def test_document_can_be_removed_by_its_owner_only(api: APIClient, outsider: Any) -> None:
    api.put(ME, {"full_name": "Ayesha Khan"}, format="json")
    doc_id = api.post(
        f"{ME}documents/", {"kind": "photo", "file": _file("me.png", image_bytes("PNG"))}, format="multipart"
    ).json()["id"]
    other = APIClient()
    other.force_authenticate(outsider)
    RegistrationFactory(user=outsider)
    assert other.delete(f"{ME}documents/{doc_id}/").status_code == 404
    assert api.delete(f"{ME}documents/{doc_id}/").status_code == 204
    assert not Document.objects.exists()


def test_public_verify_endpoint_exposes_no_personal_data(db: Any) -> None:
    registration = RegistrationFactory(approved=True, cnic="35202-1234567-3", mobile="+923001234567")
    response = APIClient().get(f"/api/v1/verify/{registration.registration_number}/")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["valid"] is True and body["status"] == "approved" and body["full_name"] == registration.full_name
    )
    assert set(body) == {
        "registration_number",
        "full_name",
        "status",
        "status_label",
        "valid",
        "approved_on",
        "valid_until",
        "skills",
    }
    assert APIClient().get("/api/v1/verify/PSEB-FL-2026-424242/").status_code == 404


def test_openapi_schema_documents_the_registration_endpoints(db: Any) -> None:
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/me/registration/",
        "/api/v1/me/registration/submit/",
        "/api/v1/me/registration/documents/",
        "/api/v1/verify/{number}/",
    ):
        assert path in schema["paths"], path
    assert "put" in schema["paths"]["/api/v1/me/registration/"]


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_public_verification_is_rate_limited_per_address(db: Any) -> None:
    client = APIClient()
    codes = [client.get("/api/v1/verify/PSEB-FL-2026-000001/").status_code for _ in range(21)]
    assert codes[:20] == [404] * 20 and codes[20] == 429


def test_a_profile_without_its_url_is_refused_with_a_field_message_not_a_crash(db: Any) -> None:
    from rest_framework.test import APIClient

    from tests.freelancers.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory())
    for method in ("put", "patch"):
        response = getattr(client, method)(
            "/api/v1/me/registration/", {"profiles": [{"platform": "upwork"}]}, format="json"
        )
        assert response.status_code == 400, response.content
        assert "profiles.0.url" in response.json()["fields"]
