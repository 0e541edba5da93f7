"""Emails about bookings, through the outbox: the request inserts a row, the worker renders it.

Each kind below is rendered at send time from the booking id, in the person's language
(stored on the row when it was queued): the confirmation with its QR code and ``.ics``, the
cancellation (by the centre with its reason, or by the person), the reminder and the no-show release.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from erozgar.mail import absolute_url
from outbox.rendering import Attachment, TemplatedEmail, Undeliverable, email_kind
from outbox.services import email_queue

from .documents import booking_ics, booking_ics_filename, booking_qr_png
from .models import Booking

CONFIRMATION = "bookings.confirmation"
CANCELLED_BY_CENTRE = "bookings.cancelled_by_centre"
CANCELLED_BY_PERSON = "bookings.cancelled_by_person"
REMINDER = "bookings.reminder"
NO_SHOW = "bookings.no_show"


def queue_booking_email(booking: Booking, *, kind: str) -> None:
    """One email of ``kind`` about ``booking`` to its person (one INSERT, in the caller's transaction)."""
    person = booking.user
    if person.email:
        email_queue(kind=kind, object_id=booking.pk, to=person.email, language=person.language)


def queue_confirmation(booking: Booking) -> None:
    queue_booking_email(booking, kind=CONFIRMATION)


def queue_cancelled_by_centre(booking: Booking) -> None:
    """Staff cancelled the booking: the person hears it, with the reason and a fresh .ics (CANCELLED)."""
    queue_booking_email(booking, kind=CANCELLED_BY_CENTRE)


def queue_cancelled_by_person(booking: Booking) -> None:
    """The person cancelled: a receipt of it, with a fresh .ics (CANCELLED) for their calendar."""
    queue_booking_email(booking, kind=CANCELLED_BY_PERSON)


def queue_reminder(booking: Booking) -> None:
    queue_booking_email(booking, kind=REMINDER)


def queue_no_show(booking: Booking) -> None:
    """The booking was released because nobody checked in within the grace period."""
    queue_booking_email(booking, kind=NO_SHOW)


# --- rendered by the worker ------------------------------------------------------------------


def _booking(booking_id: int | None) -> Booking:
    booking = Booking.objects.select_related("user", "space", "centre").filter(pk=booking_id or 0).first()
    if booking is None:
        raise Undeliverable(f"Booking {booking_id} no longer exists.")
    return booking


def _email(
    booking: Booking, template_prefix: str, attachments: list[Attachment] | None = None, **extra: Any
) -> TemplatedEmail:
    context = {"booking": booking, "space": booking.space, "centre": booking.centre, "person": booking.user}
    return TemplatedEmail(template_prefix, {**context, **extra}, attachments or [])


def _ics(booking: Booking) -> Attachment:
    return (booking_ics_filename(booking), booking_ics(booking), "text/calendar")


@email_kind(CONFIRMATION)
def render_confirmation(booking_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    booking = _booking(booking_id)
    qr = (f"qr-{booking.reference}.png", booking_qr_png(booking), "image/png")
    return _email(
        booking,
        "bookings/email/confirmation",
        [qr, _ics(booking)],
        booking_url=absolute_url("bookings:detail", booking.reference),
    )


@email_kind(CANCELLED_BY_CENTRE)
def render_cancelled_by_centre(booking_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    booking = _booking(booking_id)
    return _email(
        booking, "bookings/email/cancelled", [_ics(booking)], centres_url=absolute_url("centres:directory")
    )


@email_kind(CANCELLED_BY_PERSON)
def render_cancelled_by_person(booking_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    booking = _booking(booking_id)
    return _email(
        booking,
        "bookings/email/self_cancelled",
        [_ics(booking)],
        book_again_url=absolute_url("bookings:book", booking.centre.slug),
    )


@email_kind(REMINDER)
def render_reminder(booking_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    booking = _booking(booking_id)
    return _email(
        booking,
        "bookings/email/reminder",
        [_ics(booking)],
        booking_url=absolute_url("bookings:detail", booking.reference),
    )


@email_kind(NO_SHOW)
def render_no_show(booking_id: int | None, params: Mapping[str, Any]) -> TemplatedEmail:
    booking = _booking(booking_id)
    return _email(
        booking,
        "bookings/email/no_show",
        grace_minutes=booking.centre.checkin_grace_minutes,
        book_again_url=absolute_url("bookings:book", booking.centre.slug),
    )
