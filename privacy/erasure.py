"""Erasing a person: their registration, documents and login go; what audit needs stays, anonymised.

What is deleted: the registration with every field of identity (name, CNIC, mobile,
address...), its documents (rows and sealed files), platform profiles and status history,
the person's sign-in addresses, API tokens and second factors, and every stored email to
them. What is kept, pointing at an anonymised account that can never sign in: bookings and
payments (a centre's takings and occupancy must still add up), their history, and the
desk's log with names blanked. An ``ErasureRecord`` says that it happened and on whose word.

Upcoming bookings are cancelled first, through the booking lifecycle, so their seats are
free again at once. A booking that has started, or is past the centre's cancellation
cut-off, stops the erasure with a message: the person is at the centre, or about to be.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_anonymise
from bookings import selectors as booking_selectors
from bookings.lifecycle import booking_cancel, cancellation_cutoff
from bookings.models import BookingStatus
from centres import selectors as centre_selectors
from desk.audit import audit_forget_person
from erozgar.errors import DomainError
from freelancers.services import registration_erase
from outbox.services import emails_forget_recipient

from .models import ErasureReason, ErasureRecord


def erasure_blockers(*, user: Any, now: datetime | None = None) -> list[str]:
    """Why this person cannot be erased right now (empty when they can), in words for them."""
    now = now or timezone.now()
    problems = []
    if user.is_staff or user.is_superuser or centre_selectors.works_at_a_centre(user):
        problems.append(
            _(
                "This account belongs to centre staff or a PSEB administrator. Staff accounts are "
                "closed by PSEB after the person's roles are removed."
            )
        )
    for booking in booking_selectors.bookings_for_user(user, upcoming=True, now=now):
        if booking.status == BookingStatus.CHECKED_IN or now > cancellation_cutoff(booking):
            problems.append(
                _(
                    "Booking %(reference)s at %(centre)s has started or is too close to cancel. "
                    "You can delete the account after it ends."
                )
                % {"reference": booking.reference, "centre": booking.centre.name}
            )
    return problems


@transaction.atomic
def person_erase(
    *,
    user: User,
    erased_by: Any = None,
    reason: str = ErasureReason.OWN_REQUEST,
    note: str = "",
    now: datetime | None = None,
) -> ErasureRecord:
    """Erase one person (see the module's docstring). All of it, or nothing: one transaction."""
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)  # two requests at once: one erasure
    if ErasureRecord.objects.filter(account=user).exists():
        raise DomainError(_("This person's data has already been erased."), code="already_erased")
    problems = erasure_blockers(user=user, now=now)
    if problems:
        raise DomainError(problems[0], code="cannot_erase", extra={"problems": problems})

    cancelled = 0
    for booking in booking_selectors.bookings_for_user(user, upcoming=True, now=now):
        booking_cancel(booking=booking, actor=user, reason=_("Account deleted"), now=now)
        cancelled += 1

    registration = getattr(user, "registration", None)
    registration_id = registration.pk if registration is not None else None
    number, documents = ("", 0)
    if registration is not None:
        number, documents = registration_erase(registration=registration)
    audit_forget_person(user_id=user.pk, registration_id=registration_id)
    emails_forget_recipient(email=user.email)
    kept = booking_selectors.bookings_for_user(user).count()
    user_anonymise(user=user)
    return ErasureRecord.objects.create(
        account=user,
        erased_by=erased_by if getattr(erased_by, "is_authenticated", False) else None,
        reason=reason,
        note=note,
        registration_number=number,
        documents_deleted=documents,
        bookings_cancelled=cancelled,
        bookings_kept=kept,
    )
