"""Emails about bookings. Rendered now in the person's language, sent by Celery after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from erozgar.mail import Attachment, absolute_url, queue_templated_email

from .documents import booking_ics, booking_ics_filename, booking_qr_png
from .models import Booking


def queue_booking_email(
    booking: Booking,
    *,
    template_prefix: str,
    context: Mapping[str, Any] | None = None,
    attachments: Iterable[Attachment] = (),
) -> None:
    """One email about ``booking`` to its person, with the booking, space and centre in the context."""
    person = booking.user
    if not person.email:
        return
    queue_templated_email(
        template_prefix=template_prefix,
        to=[person.email],
        language=person.language,
        context={
            "booking": booking,
            "space": booking.space,
            "centre": booking.centre,
            "person": person,
            **(context or {}),
        },
        attachments=attachments,
    )


def queue_confirmation(booking: Booking) -> None:
    queue_booking_email(
        booking,
        template_prefix="bookings/email/confirmation",
        context={"booking_url": absolute_url("bookings:detail", booking.reference)},
        attachments=[
            (f"qr-{booking.reference}.png", booking_qr_png(booking), "image/png"),
            (booking_ics_filename(booking), booking_ics(booking), "text/calendar"),
        ],
    )


def queue_cancelled_by_centre(booking: Booking) -> None:
    """Staff cancelled the booking: the person hears it, with the reason and a fresh .ics (CANCELLED)."""
    queue_booking_email(
        booking,
        template_prefix="bookings/email/cancelled",
        context={"centres_url": absolute_url("centres:directory")},
        attachments=[(booking_ics_filename(booking), booking_ics(booking), "text/calendar")],
    )


def queue_no_show_email(booking: Booking) -> None:
    """Tell the person their booking was released because nobody checked in within the grace period."""
    booking = Booking.objects.select_related("user", "space", "centre").get(pk=booking.pk)
    queue_booking_email(
        booking,
        template_prefix="bookings/email/no_show",
        context={
            "grace_minutes": booking.centre.checkin_grace_minutes,
            "book_again_url": absolute_url("bookings:book", booking.centre.slug),
        },
    )
