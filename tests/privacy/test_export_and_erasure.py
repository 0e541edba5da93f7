"""A person takes their data away, or has it erased; what audit needs stays, without them in it.

Written as the person, another person, centre staff, a stranger and a PSEB admin would act.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking, BookingStatus
from desk.models import DeskAction, DeskActionKind, Payment
from freelancers import services as registration_services
from freelancers.models import Document, Registration, RegistrationStatus
from outbox.models import OutgoingEmail
from privacy.models import ErasureReason, ErasureRecord
from tests.bookings.factories import BookingFactory, CabinFactory
from tests.centres.factories import CentreFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.conftest import image_bytes, stored_files
from tests.freelancers.factories import RegistrationFactory, UserFactory
from tests.privacy.pg_dump import pg_dump

PASSWORD = "Correct-Horse-Battery-42"
EXPORT = reverse("privacy:export")
DELETE = reverse("privacy:delete")
PAGE = reverse("privacy:data")


def _person(*, number: bool = True) -> Registration:
    """Zainab Qureshi: approved, with two real (sealed) documents, a past paid booking and a future one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = UserFactory(email="zainab.qureshi@example.pk", full_name="Zainab Qureshi")
    registration = RegistrationFactory(
        user=user,
        status=RegistrationStatus.DRAFT,
        full_name="Zainab Qureshi",
        guardian_name="Tariq Qureshi",
        cnic="61101-7654321-8",
        mobile="+923219876543",
        address="Flat 7, Blue Area Heights",
    )
    for kind in ("cnic_front", "photo"):
        upload = SimpleUploadedFile(f"{kind}.jpg", image_bytes(), content_type="image/jpeg")
        registration_services.document_add(registration=registration, actor=user, kind=kind, upload=upload)
    registration.status = RegistrationStatus.APPROVED if number else RegistrationStatus.SUBMITTED
    registration.submitted_at = registration.declaration_accepted_at = timezone.now() - timedelta(days=3)
    registration.declaration_accepted_at = registration.submitted_at
    if number:
        registration.registration_number = "PSEB-FL-2026-000777"
        registration.approved_at = timezone.now() - timedelta(days=2)
        registration.valid_until = (timezone.now() + timedelta(days=300)).date()
    registration.save()
    centre = CentreFactory(name="Islamabad Blue Area", slug="isb-blue")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin 3")
    past = BookingFactory(
        user=user,
        space=cabin,
        starts_at=timezone.now() - timedelta(days=5),
        ends_at=timezone.now() - timedelta(days=5) + timedelta(hours=2),
        status=BookingStatus.COMPLETED,
        checked_in_at=timezone.now() - timedelta(days=5),
        checked_out_at=timezone.now() - timedelta(days=5) + timedelta(hours=2),
    )
    clerk = StaffMembershipFactory(centre=centre, role="desk", user=UserFactory()).user
    Payment.objects.create(booking=past, centre=centre, amount_pkr=400, received_by=clerk)
    DeskAction.objects.create(
        centre=centre,
        actor=clerk,
        kind=DeskActionKind.WALK_IN,
        booking=past,
        summary="Walk-in Zainab Qureshi seated",
    )
    BookingFactory(user=user, space=cabin, starts_at=timezone.now() + timedelta(days=3))
    OutgoingEmail.objects.create(kind="rendered", recipient=user.email, language="en", subject="Hello Zainab")
    return registration


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_person_downloads_everything_held_about_them(private_media: Path) -> None:
    registration = _person()
    client = _client(registration.user)
    originals = {doc.kind: doc.file.open("rb").read() for doc in registration.documents.all()}

    response = client.post(EXPORT, {"export-password": PASSWORD})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "zainab.qureshi@example.pk"
    assert data["registration"]["cnic"] == "61101-7654321-8"
    assert data["registration"]["mobile"] == "+923219876543"
    assert len(data["bookings"]) == 2
    assert [p["amount_pkr"] for b in data["bookings"] for p in b["payments"]] == [400]
    files = {doc["kind"]: archive.read(doc["file"]) for doc in data["registration"]["documents"]}
    assert sorted(files.values()) == sorted(originals.values())  # decrypted, byte for byte


@pytest.mark.django_db
def test_the_export_needs_the_current_password(private_media: Path) -> None:
    registration = _person()
    response = _client(registration.user).post(EXPORT, {"export-password": "not-my-password"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "That is not your current password." in response.content.decode()


@pytest.mark.django_db
def test_another_person_exports_only_their_own_data(private_media: Path) -> None:
    _person()
    other = UserFactory(email="someone.else@example.pk")
    response = _client(other).post(EXPORT, {"export-password": PASSWORD})
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["registration"] is None and data["bookings"] == []
    assert b"61101" not in response.content and b"Zainab" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", EXPORT), ("post", DELETE)])
def test_a_stranger_is_sent_to_sign_in(method: str, url: str) -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_deleting_without_password_or_confirmation_deletes_nothing(private_media: Path) -> None:
    registration = _person()
    client = _client(registration.user)
    wrong = client.post(DELETE, {"delete-password": "guess", "delete-confirm": "on"})
    unticked = client.post(DELETE, {"delete-password": PASSWORD})
    assert wrong.status_code == unticked.status_code == 400
    assert "Tick the box to confirm." in unticked.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert User.objects.get(pk=registration.user_id).is_active


@pytest.mark.django_db(transaction=True)
def test_deleting_the_account_erases_the_person_and_keeps_the_accounts_anonymised(
    private_media: Path, settings: Any
) -> None:
    registration = _person()
    user = registration.user
    future = Booking.objects.get(user=user, status=BookingStatus.CONFIRMED)
    assert len(stored_files(private_media)) == 2

    response = _client(user).post(DELETE, {"delete-password": PASSWORD, "delete-confirm": "on"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@erased.invalid" and user.full_name == ""
    assert not user.is_active and not user.has_usable_password()
    assert not Client().login(email="zainab.qureshi@example.pk", password=PASSWORD)
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not Document.objects.filter(registration_id=registration.pk).exists()
    assert stored_files(private_media) == []  # the sealed files are gone from the disk
    future.refresh_from_db()
    assert future.status == BookingStatus.CANCELLED  # its seat is free again
    assert Booking.objects.filter(user=user, status=BookingStatus.COMPLETED).count() == 1
    assert Payment.objects.filter(booking__user=user, amount_pkr=400).count() == 1  # takings still add up
    assert "Zainab" not in DeskAction.objects.get(booking__user=user).summary
    assert not OutgoingEmail.objects.filter(recipient__iexact="zainab.qureshi@example.pk").exists()
    record = ErasureRecord.objects.get(account=user)
    assert (record.reason, record.registration_number) == (ErasureReason.OWN_REQUEST, "PSEB-FL-2026-000777")
    assert (record.documents_deleted, record.bookings_cancelled, record.bookings_kept) == (2, 1, 2)
    # The number no longer verifies, and a copy of the database holds nothing of her.
    assert Client().get("/verify/PSEB-FL-2026-000777/").status_code == 404
    dump = pg_dump()
    for trace in ("zainab.qureshi", "Zainab", "Qureshi", "Blue Area Heights", "7654321", "3219876543"):
        assert trace not in dump, trace


@pytest.mark.django_db
def test_a_booking_under_way_stops_the_deletion_with_a_reason(private_media: Path) -> None:
    registration = _person()
    booking = Booking.objects.get(user=registration.user, status=BookingStatus.CONFIRMED)
    booking.starts_at = timezone.now() + timedelta(minutes=10)  # past the cancellation cut-off
    booking.ends_at = booking.starts_at + timedelta(hours=1)
    booking.save()
    client = _client(registration.user)

    page = client.get(PAGE).content.decode()
    response = client.post(DELETE, {"delete-password": PASSWORD, "delete-confirm": "on"})

    assert booking.reference in page and "You cannot delete your account yet" in page
    assert response.status_code == 400
    assert booking.reference in response.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()


@pytest.mark.django_db
def test_centre_staff_cannot_erase_their_own_account(private_media: Path) -> None:
    centre = CentreFactory()
    clerk = StaffMembershipFactory(centre=centre, role="desk", user=UserFactory()).user
    response = _client(clerk).post(DELETE, {"delete-password": PASSWORD, "delete-confirm": "on"})
    assert response.status_code == 400
    assert "closed by PSEB" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.is_active


@pytest.mark.django_db
def test_a_pseb_admin_erases_a_person_on_written_request(private_media: Path, pseb_admin: Any) -> None:
    registration = _person()
    client = _client(pseb_admin)
    add = reverse("admin:privacy_erasurerecord_add")

    response = client.post(
        add,
        {"email": "ZAINAB.QURESHI@example.pk", "reason": ErasureReason.ON_REQUEST, "note": "Letter 42/2026"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    record = ErasureRecord.objects.get()
    assert (record.erased_by, record.note, record.reason) == (
        pseb_admin,
        "Letter 42/2026",
        ErasureReason.ON_REQUEST,
    )
    assert not Registration.objects.filter(pk=registration.pk).exists()
    # The register cannot be edited or emptied afterwards.
    change = reverse("admin:privacy_erasurerecord_change", args=[record.pk])
    assert client.post(change, {"note": "changed"}).status_code == 403
    assert (
        client.post(
            reverse("admin:privacy_erasurerecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_admin_form_explains_what_it_cannot_erase(pseb_admin: Any) -> None:
    client = _client(pseb_admin)
    add = reverse("admin:privacy_erasurerecord_add")
    unknown = client.post(
        add, {"email": "nobody@example.pk", "reason": ErasureReason.ON_REQUEST, "note": "x"}
    )
    staff = client.post(add, {"email": pseb_admin.email, "reason": ErasureReason.ON_REQUEST, "note": "x"})
    assert "No account has this email address." in unknown.content.decode()
    assert "closed by PSEB" in staff.content.decode()
    assert ErasureRecord.objects.count() == 0


@pytest.mark.django_db
def test_a_reviewer_without_the_erasure_permission_cannot_erase(private_media: Path) -> None:
    from django.contrib.auth.models import Group

    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="PSEB reviewer"))
    registration = _person()
    response = _client(reviewer).post(
        reverse("admin:privacy_erasurerecord_add"),
        {"email": registration.user.email, "reason": ErasureReason.ON_REQUEST, "note": "x"},
    )
    assert response.status_code == 403
    assert Registration.objects.filter(pk=registration.pk).exists()
