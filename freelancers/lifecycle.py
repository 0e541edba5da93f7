"""The lifecycle of a registration: one table of allowed status changes, one function that applies them.

draft -> submitted -> approved -> expired (and renewed by submitting again); submitted ->
changes requested -> submitted; submitted -> rejected. Nothing else changes
``Registration.status``. Each change locks the row, checks the move is allowed for this
actor, writes the audit row in the same transaction and queues the email after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.hours import local_today
from erozgar.errors import DomainError, InvalidTransition, NotAllowed
from freelancers.identifiers import redact_identifiers
from freelancers.models import (
    EDITABLE_STATUSES,
    REGISTRATION_NUMBER_SEQUENCE,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from freelancers.notifications import queue_expiry_reminder, queue_status_email
from freelancers.selectors import completeness_problems

S = RegistrationStatus
REVIEW_PERMISSION = "freelancers.review_registration"
VALIDITY_YEARS = 1


# --- the workflow ---------------------------------------------------------------------

OWNER, REVIEWER, SYSTEM = "owner", "reviewer", "system"

# (from, to) -> who may make that move. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): OWNER,
    (S.CHANGES_REQUESTED, S.SUBMITTED): OWNER,
    (S.EXPIRED, S.SUBMITTED): OWNER,  # renewal
    (S.SUBMITTED, S.APPROVED): REVIEWER,
    (S.SUBMITTED, S.CHANGES_REQUESTED): REVIEWER,
    (S.SUBMITTED, S.REJECTED): REVIEWER,
    (S.APPROVED, S.EXPIRED): SYSTEM,
}
REASON_REQUIRED = frozenset({S.CHANGES_REQUESTED, S.REJECTED})


def is_reviewer(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)
    )


def allowed_transitions(registration: Registration) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == registration.status]


def lock_registration(registration_id: int) -> Registration:
    return Registration.objects.select_for_update().select_related("user").get(pk=registration_id)


def _transition(*, registration_id: int, to: str, actor: Any, reason: str = "") -> Registration:
    registration = lock_registration(registration_id)
    frm = registration.status
    who = TRANSITIONS.get((frm, to))
    if who is None:
        raise InvalidTransition(
            _("A registration that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(frm).label, "to": S(to).label},
            extra={"status": frm},
        )
    if who == OWNER and (actor is None or actor.pk != registration.user_id):
        raise NotAllowed(_("Only the freelancer can submit this registration."))
    if who == REVIEWER and not is_reviewer(actor):
        raise NotAllowed(_("Only PSEB reviewers can decide on registrations."))
    if who == SYSTEM and actor is not None:
        raise NotAllowed(_("Registrations expire on their own; nobody can expire one by hand."))
    reason = " ".join((reason or "").split()) if to != S.CHANGES_REQUESTED else (reason or "").strip()
    # The reason is kept in the audit trail: a CNIC or mobile number quoted in it is masked.
    reason = redact_identifiers(reason)
    if to in REASON_REQUIRED and not reason:
        raise DomainError(
            _("Please give a reason; the freelancer will read it."),
            fields={"reason": [_("A reason is required.")]},
        )
    if len(reason) > 2000:
        raise DomainError(
            _("The reason can be at most 2000 characters."), fields={"reason": [_("Too long.")]}
        )

    now = timezone.now()
    registration.status = to
    fields = ["status", "updated_at"]
    if to == S.SUBMITTED:
        registration.submitted_at = now
        fields.append("submitted_at")
    if who == REVIEWER:
        registration.decided_at = now
        registration.decision_reason = reason
        fields += ["decided_at", "decision_reason"]
    if to == S.APPROVED:
        if not registration.registration_number:  # a renewal keeps its number
            registration.registration_number = _next_registration_number(now)
        registration.approved_at = now
        registration.valid_until = _validity_end(local_today())
        fields += ["registration_number", "approved_at", "valid_until"]
    registration.save(update_fields=fields)
    RegistrationEvent.objects.create(
        registration=registration,
        from_status=frm,
        to_status=to,
        actor=actor if who != SYSTEM else None,
        reason=reason,
    )
    queue_status_email(registration)
    return registration


def _next_registration_number(now: datetime.datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [REGISTRATION_NUMBER_SEQUENCE])
        (value,) = cursor.fetchone()
    year = timezone.localtime(now).year
    return f"PSEB-FL-{year}-{value:06d}"


def _validity_end(start: datetime.date) -> datetime.date:
    try:
        anniversary = start.replace(year=start.year + VALIDITY_YEARS)
    except ValueError:
        anniversary = start.replace(year=start.year + VALIDITY_YEARS, day=28)
    return anniversary - datetime.timedelta(days=1)


@transaction.atomic
def registration_submit(*, registration: Registration, actor: Any) -> Registration:
    """Send a complete registration for review (also a resubmission after changes, or a renewal)."""
    current = lock_registration(registration.pk)
    if current.status in EDITABLE_STATUSES and actor is not None and actor.pk == current.user_id:
        problems = completeness_problems(current)
        if problems:
            raise DomainError(
                _("Your registration is not complete yet. Please fix the points listed."),
                code="incomplete",
                fields=problems,
            )
    return _transition(registration_id=registration.pk, to=S.SUBMITTED, actor=actor)


@transaction.atomic
def registration_approve(*, registration: Registration, actor: Any, reason: str = "") -> Registration:
    return _transition(registration_id=registration.pk, to=S.APPROVED, actor=actor, reason=reason)


@transaction.atomic
def registration_request_changes(*, registration: Registration, actor: Any, reason: str) -> Registration:
    return _transition(registration_id=registration.pk, to=S.CHANGES_REQUESTED, actor=actor, reason=reason)


@transaction.atomic
def registration_reject(*, registration: Registration, actor: Any, reason: str) -> Registration:
    return _transition(registration_id=registration.pk, to=S.REJECTED, actor=actor, reason=reason)


DECISIONS = {
    S.APPROVED: registration_approve,
    S.CHANGES_REQUESTED: registration_request_changes,
    S.REJECTED: registration_reject,
}


@dataclass
class BulkResult:
    done: list[Registration]
    refused: list[tuple[Registration, str]]


def registrations_decide(
    *, registrations: Iterable[Registration], decision: str, actor: Any, reason: str
) -> BulkResult:
    """Apply one decision to many registrations; each one in its own transaction."""
    decide = DECISIONS[S(decision)]
    result = BulkResult(done=[], refused=[])
    for registration in sorted(registrations, key=lambda r: r.pk):  # a fixed lock order
        try:
            result.done.append(decide(registration=registration, actor=actor, reason=reason))
        except DomainError as error:
            result.refused.append((registration, str(error.message)))
    return result


@transaction.atomic
def registration_expire(*, registration_id: int) -> bool:
    """Approved and past its validity -> expired. Safe to call twice (returns False)."""
    current = lock_registration(registration_id)
    if current.status != S.APPROVED or current.valid_until is None or current.valid_until >= local_today():
        return False
    _transition(registration_id=registration_id, to=S.EXPIRED, actor=None)
    return True


def claim_expiry_reminder(*, registration_id: int) -> Registration | None:
    """Mark the 30-day reminder as sent for the current validity; only one caller ever wins."""
    registration = Registration.objects.select_related("user").get(pk=registration_id)
    claimed = (
        Registration.objects.filter(
            pk=registration_id, status=S.APPROVED, valid_until=registration.valid_until
        )
        .filter(
            Q(expiry_reminder_sent_for__isnull=True) | ~Q(expiry_reminder_sent_for=registration.valid_until)
        )
        .update(expiry_reminder_sent_for=registration.valid_until)
    )
    return registration if claimed else None


@transaction.atomic
def send_expiry_reminder(*, registration_id: int) -> bool:
    registration = claim_expiry_reminder(registration_id=registration_id)
    if registration is None:
        return False
    queue_expiry_reminder(registration)
    return True
