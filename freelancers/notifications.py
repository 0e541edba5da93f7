"""Emails about a registration, through the outbox: queued with the decision, rendered by the worker.

The row keeps what was decided (the status and the reason, the validity date at the time),
so a later change to the registration cannot alter an email about an earlier decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from outbox.rendering import TemplatedEmail, Undeliverable, email_kind
from outbox.services import email_queue

from .models import Registration
from .models import RegistrationStatus as S

STATUS = "freelancers.status"
EXPIRING = "freelancers.expiring"

EMAIL_ON = {
    S.SUBMITTED: "freelancers/email/submitted",
    S.APPROVED: "freelancers/email/approved",
    S.CHANGES_REQUESTED: "freelancers/email/changes_requested",
    S.REJECTED: "freelancers/email/rejected",
    S.EXPIRED: "freelancers/email/expired",
}


def _queue(registration: Registration, kind: str, params: dict[str, Any]) -> None:
    person = registration.user
    email_queue(
        kind=kind, object_id=registration.pk, to=person.email, language=person.language, params=params
    )


def queue_status_email(registration: Registration) -> None:
    """Tell the person their registration moved to its current status (for the statuses that say so)."""
    if S(registration.status) not in EMAIL_ON:
        return
    _queue(
        registration,
        STATUS,
        {
            "status": registration.status,
            "reason": registration.decision_reason,
            "registration_number": registration.registration_number,
            "valid_until": registration.valid_until.isoformat() if registration.valid_until else None,
        },
    )


def queue_expiry_reminder(registration: Registration) -> None:
    valid_until = registration.valid_until.isoformat() if registration.valid_until else None
    _queue(registration, EXPIRING, {"valid_until": valid_until})


def _registration(registration_id: int | None) -> Registration:
    registration = Registration.objects.select_related("user").filter(pk=registration_id or 0).first()
    if registration is None:
        raise Undeliverable(f"Registration {registration_id} no longer exists.")
    return registration


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@email_kind(STATUS)
def render_status(registration_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    registration = _registration(registration_id)
    number = params.get("registration_number") or ""
    return TemplatedEmail(
        EMAIL_ON[S(params["status"])],
        {
            "name": registration.full_name or registration.user.get_full_name(),
            "reason": params.get("reason", ""),
            "registration_number": number,
            "valid_until": _date(params.get("valid_until")),
            "dashboard_path": reverse("freelancers:dashboard"),
            "certificate_path": reverse("freelancers:certificate"),
            "verify_path": reverse("freelancers:verify", args=[number]) if number else "",
        },
    )


@email_kind(EXPIRING)
def render_expiry_reminder(registration_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    registration = _registration(registration_id)
    return TemplatedEmail(
        "freelancers/email/expiring",
        {
            "name": registration.full_name,
            "registration_number": registration.registration_number,
            "valid_until": _date(params.get("valid_until")),
            "dashboard_path": reverse("freelancers:dashboard"),
        },
    )
