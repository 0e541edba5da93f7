"""The status workflow: each allowed move, each refused one, who may make it, and the audit trail."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.db import connection

from centres.hours import local_today
from erozgar.errors import DomainError, InvalidTransition, NotAllowed
from freelancers import lifecycle, services
from freelancers.models import Registration, RegistrationEvent
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def events(registration: Registration) -> list[tuple[str, str, Any, str]]:
    return [
        (e.from_status, e.to_status, e.actor, e.reason)
        for e in RegistrationEvent.objects.filter(registration=registration).order_by("id")
    ]


def test_complete_draft_is_submitted_by_its_owner_and_audited(
    complete_draft: Registration, freelancer: Any
) -> None:
    registration = lifecycle.registration_submit(registration=complete_draft, actor=freelancer)
    assert registration.status == "submitted" and registration.submitted_at is not None
    assert events(registration) == [("draft", "submitted", freelancer, "")]


def test_incomplete_draft_is_refused_listing_what_is_missing(freelancer: Any) -> None:
    registration = services.registration_start(user=freelancer)
    with pytest.raises(DomainError) as error:
        lifecycle.registration_submit(registration=registration, actor=freelancer)
    assert error.value.code == "incomplete"
    assert {"cnic", "mobile", "skills", "documents", "declaration", "profiles"} <= set(error.value.fields)
    registration.refresh_from_db()
    assert registration.status == "draft" and not events(registration)


def test_someone_else_cannot_submit_my_registration(complete_draft: Registration, outsider: Any) -> None:
    with pytest.raises(NotAllowed):
        lifecycle.registration_submit(registration=complete_draft, actor=outsider)


def test_reviewer_approves_and_a_numbered_certificate_valid_one_year_is_issued(reviewer: Any) -> None:
    registration = RegistrationFactory(submitted=True)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        approved = lifecycle.registration_approve(
            registration=registration, actor=reviewer, reason="Looks good"
        )
    assert approved.status == "approved"
    assert re.fullmatch(r"PSEB-FL-2026-\d{6}", approved.registration_number or "")
    assert approved.valid_until == datetime.date(2027, 3, 9)
    assert events(approved) == [("submitted", "approved", reviewer, "Looks good")]


def test_registration_numbers_come_from_a_sequence_and_are_never_reused(reviewer: Any) -> None:
    first = lifecycle.registration_approve(registration=RegistrationFactory(submitted=True), actor=reviewer)
    second = lifecycle.registration_approve(registration=RegistrationFactory(submitted=True), actor=reviewer)
    n1, n2 = (int(str(r.registration_number).rsplit("-", 1)[1]) for r in (first, second))
    assert n2 > n1


def test_request_changes_needs_a_reason_and_sends_it_back_for_editing(reviewer: Any, freelancer: Any) -> None:
    registration = RegistrationFactory(submitted=True, user=freelancer, with_documents=True)
    with pytest.raises(DomainError, match="reason"):
        lifecycle.registration_request_changes(registration=registration, actor=reviewer, reason="  ")
    changed = lifecycle.registration_request_changes(
        registration=registration, actor=reviewer, reason="The CNIC photo is blurred."
    )
    assert changed.status == "changes_requested" and changed.decision_reason == "The CNIC photo is blurred."
    services.registration_update_identity(registration=changed, actor=freelancer, data={"city": "Multan"})
    resubmitted = lifecycle.registration_submit(registration=changed, actor=freelancer)
    assert resubmitted.status == "submitted"
    assert [e[:2] for e in events(registration)] == [
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
    ]


def test_reject_needs_a_reason_and_is_final(reviewer: Any, freelancer: Any) -> None:
    registration = RegistrationFactory(submitted=True, user=freelancer)
    with pytest.raises(DomainError):
        lifecycle.registration_reject(registration=registration, actor=reviewer, reason="")
    rejected = lifecycle.registration_reject(
        registration=registration, actor=reviewer, reason="Documents are forged."
    )
    assert rejected.status == "rejected"
    with pytest.raises(InvalidTransition):
        lifecycle.registration_submit(registration=rejected, actor=freelancer)
    with pytest.raises(InvalidTransition):
        lifecycle.registration_approve(registration=rejected, actor=reviewer)


@pytest.mark.parametrize(
    ("traits", "decide"),
    [
        ({}, lifecycle.registration_approve),  # a draft cannot be approved
        ({"changes_requested": True}, lifecycle.registration_approve),
        ({"approved": True}, lifecycle.registration_approve),
        ({"approved": True}, lifecycle.registration_reject),
        ({"expired": True}, lifecycle.registration_approve),
        ({"rejected": True}, lifecycle.registration_request_changes),
    ],
)
def test_decisions_outside_the_workflow_are_refused(
    reviewer: Any, traits: dict[str, Any], decide: Any
) -> None:
    registration = RegistrationFactory(**traits)
    before = registration.status
    with pytest.raises(InvalidTransition):
        decide(registration=registration, actor=reviewer, reason="some reason")
    registration.refresh_from_db()
    assert registration.status == before and not events(registration)


def test_freelancer_or_plain_staff_cannot_approve(freelancer: Any) -> None:
    registration = RegistrationFactory(submitted=True, user=freelancer)
    staff_without_group = UserFactory(is_staff=True)
    for actor in (freelancer, staff_without_group, None):
        with pytest.raises(NotAllowed):
            lifecycle.registration_approve(registration=registration, actor=actor)
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_nobody_can_expire_by_hand_and_expiry_waits_for_the_end_of_validity(reviewer: Any) -> None:
    registration = RegistrationFactory(approved=True)
    with pytest.raises(NotAllowed):
        lifecycle._transition(registration_id=registration.pk, to="expired", actor=reviewer)
    assert lifecycle.registration_expire(registration_id=registration.pk) is False
    with time_machine.travel(registration.valid_until + datetime.timedelta(days=1)):
        assert lifecycle.registration_expire(registration_id=registration.pk) is True
        assert lifecycle.registration_expire(registration_id=registration.pk) is False
    registration.refresh_from_db()
    assert registration.status == "expired"
    assert events(registration) == [("approved", "expired", None, "")]


def test_expired_registration_is_renewed_by_resubmitting_and_keeps_its_number(
    reviewer: Any, freelancer: Any, make_file: Any
) -> None:
    registration = RegistrationFactory(expired=True, user=freelancer)
    number = registration.registration_number
    for kind in ("cnic_front", "cnic_back", "photo"):
        services.document_add(registration=registration, actor=freelancer, kind=kind, upload=make_file())
    lifecycle.registration_submit(registration=registration, actor=freelancer)
    renewed = lifecycle.registration_approve(registration=registration, actor=reviewer)
    assert renewed.registration_number == number
    assert renewed.valid_until is not None and renewed.valid_until > local_today()


def test_submitted_registration_cannot_be_edited_until_changes_are_requested(freelancer: Any) -> None:
    registration = RegistrationFactory(submitted=True, user=freelancer)
    with pytest.raises(InvalidTransition):
        services.registration_update_identity(
            registration=registration, actor=freelancer, data={"city": "Quetta"}
        )
    assert Registration.objects.get(pk=registration.pk).city == "Lahore"


def test_nobody_edits_another_persons_registration(outsider: Any) -> None:
    registration = RegistrationFactory()
    with pytest.raises(NotAllowed):
        services.registration_update_identity(
            registration=registration, actor=outsider, data={"city": "Quetta"}
        )


def test_second_person_with_the_same_cnic_is_told_without_learning_whose(freelancer: Any) -> None:
    RegistrationFactory(cnic="35202-1234567-3", full_name="Zainab Bibi")
    mine = services.registration_start(user=freelancer)
    with pytest.raises(DomainError) as error:
        services.registration_update_identity(
            registration=mine, actor=freelancer, data={"cnic": "3520212345673"}
        )
    message = str(error.value.message)
    assert "already registered" in message and "Zainab" not in message and "@" not in message
    assert error.value.http_status == 409
    mine.refresh_from_db()
    assert mine.cnic is None


def test_bulk_decision_applies_where_allowed_and_reports_the_rest(reviewer: Any) -> None:
    waiting = RegistrationFactory.create_batch(3, submitted=True)
    draft = RegistrationFactory()
    result = lifecycle.registrations_decide(
        registrations=[*waiting, draft], decision="approved", actor=reviewer, reason=""
    )
    assert len(result.done) == 3 and [r.pk for r, _ in result.refused] == [draft.pk]


def test_registration_number_sequence_exists_in_postgres() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename FROM pg_sequences WHERE sequencename = %s",
            ["freelancers_registration_number_seq"],
        )
        assert cursor.fetchone() is not None
