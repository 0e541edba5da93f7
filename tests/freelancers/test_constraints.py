"""The database holds the registry's invariants whoever writes: checked through full_clean() and raw saves."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from freelancers.models import Registration
from tests.freelancers.factories import DocumentFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _breaks(registration: Registration, constraint: str, **changes: Any) -> None:
    for field, value in changes.items():
        setattr(registration, field, value)
    with pytest.raises(ValidationError):
        registration.full_clean()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        registration.save()


def test_one_cnic_per_registry() -> None:
    RegistrationFactory(cnic="35202-1234567-3")
    _breaks(RegistrationFactory(), "registration_cnic_unique", cnic="35202-1234567-3")


def test_many_drafts_may_lack_a_cnic() -> None:
    RegistrationFactory(cnic=None)
    RegistrationFactory(cnic=None).full_clean()


@pytest.mark.parametrize("identifier", ["cnic", "mobile"])
def test_a_sealed_identifier_never_loses_its_blind_index(identifier: str) -> None:
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError, match=f"registration_{identifier}_indexed"), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(**{f"{identifier}_digest": None})


def test_the_blind_index_follows_the_value_and_clears_with_it() -> None:
    registration = RegistrationFactory(cnic="35202-1234567-3", mobile="+923001234567")
    other = RegistrationFactory(cnic="35202-7654321-3")
    assert registration.cnic_digest != other.cnic_digest and len(registration.cnic_digest) == 32
    registration.cnic, registration.mobile = None, None
    registration.save(update_fields=["cnic", "mobile"])
    assert Registration.objects.filter(pk=registration.pk, cnic_digest=None, mobile_digest=None).exists()


def test_approved_registration_always_has_a_number_and_validity() -> None:
    _breaks(RegistrationFactory(submitted=True), "registration_approved_has_number", status="approved")


def test_submitted_registration_needs_cnic_and_declaration() -> None:
    _breaks(
        RegistrationFactory(submitted=True),
        "registration_submitted_is_complete",
        declaration_accepted_at=None,
    )


def test_registration_numbers_are_unique_and_well_formed() -> None:
    first = RegistrationFactory(approved=True)
    _breaks(
        RegistrationFactory(approved=True),
        "registration_number_unique",
        registration_number=first.registration_number,
    )
    _breaks(RegistrationFactory(approved=True), "registration_number_format", registration_number="PSEB-123")


def test_status_must_be_one_of_the_workflow_states() -> None:
    _breaks(RegistrationFactory(), "registration_status_valid", status="pending")


def test_one_registration_per_user() -> None:
    first = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(user=first.user)


def test_one_cnic_front_per_registration_but_several_supporting_documents() -> None:
    registration = RegistrationFactory()
    DocumentFactory(registration=registration, kind="supporting")
    DocumentFactory(registration=registration, kind="supporting")
    DocumentFactory(registration=registration, kind="cnic_front")
    with pytest.raises(IntegrityError, match="document_one_per_required_kind"), transaction.atomic():
        DocumentFactory(registration=registration, kind="cnic_front")


def test_document_type_and_size_are_capped_in_the_database() -> None:
    with pytest.raises(IntegrityError, match="document_content_type_allowed"), transaction.atomic():
        DocumentFactory(content_type="text/html")
    with pytest.raises(IntegrityError, match="document_size_capped"), transaction.atomic():
        DocumentFactory(size=50 * 1024 * 1024)
