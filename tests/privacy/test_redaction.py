"""What staff type into audited free text (a reviewer's reason, a cancellation note) keeps no
CNIC or mobile number in clear."""

from __future__ import annotations

from typing import Any

import pytest

from freelancers import lifecycle
from freelancers.identifiers import redact_identifiers
from freelancers.models import RegistrationEvent
from tests.freelancers.factories import RegistrationFactory


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("CNIC 35202-1234567-3 is blurred", "CNIC 35202-*******-3 is blurred"),
        ("CNIC 3520212345673.", "CNIC 35202-*******-3."),
        ("cnic 35202 1234567 3", "cnic 35202-*******-3"),
        ("call 0300-1234567 or +92 321 7654321", "call 0300-*****67 or 0321-*****21"),
        ("whatsapp 923001234567", "whatsapp 0300-*****67"),
    ],
)
def test_identifiers_in_free_text_are_masked(written: str, kept: str) -> None:
    assert redact_identifiers(written) == kept


@pytest.mark.parametrize(
    "written",
    ["Registration PSEB-FL-2026-000123", "Paid Rs 3,500 on 2026-12-01", "NTN 1234567-8", "Call 042-35761234"],
)
def test_other_numbers_are_left_alone(written: str) -> None:
    assert redact_identifiers(written) == written


@pytest.mark.django_db
def test_a_reviewers_reason_is_stored_and_shown_with_the_identifiers_masked(reviewer: Any) -> None:
    registration = RegistrationFactory(submitted=True, cnic="35202-1234567-3")
    lifecycle.registration_request_changes(
        registration=registration,
        actor=reviewer,
        reason="The CNIC 35202-1234567-3 on the scan is cut off. We tried 0300 1234567.",
    )
    registration.refresh_from_db()
    expected = "The CNIC 35202-*******-3 on the scan is cut off. We tried 0300-*****67."
    assert registration.decision_reason == expected
    assert (
        RegistrationEvent.objects.get(registration=registration, to_status="changes_requested").reason
        == expected
    )
