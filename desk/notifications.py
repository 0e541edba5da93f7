"""Emails from the desk's jobs, rendered in the person's language and sent by Celery after commit."""

from __future__ import annotations

from bookings.models import Booking
from bookings.notifications import queue_booking_email
from erozgar.mail import absolute_url


def queue_no_show_email(booking: Booking) -> None:
    """Tell the person their booking was released because nobody checked in within the grace period."""
    booking = Booking.objects.select_related("user", "space", "centre").get(pk=booking.pk)
    queue_booking_email(
        booking,
        template_prefix="desk/email/no_show",
        context={
            "grace_minutes": booking.centre.checkin_grace_minutes,
            "book_again_url": absolute_url("bookings:book", booking.centre.slug),
        },
    )
