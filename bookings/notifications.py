"""Emails about bookings. Rendered now in the person's language, sent by Celery after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from erozgar.mail import queue_templated_email

from .documents import booking_ics, booking_ics_filename, booking_qr_png
from .models import Booking


def queue_confirmation(booking: Booking) -> None:
    user = booking.user
    queue_templated_email(
        template_prefix="bookings/email/confirmation",
        to=[user.email],
        language=user.language,
        context={
            "booking": booking,
            "space": booking.space,
            "centre": booking.centre,
            "person": user,
            "booking_url": settings.SITE_URL.rstrip("/") + reverse("bookings:detail", args=[booking.reference]),
        },
        attachments=[
            (f"qr-{booking.reference}.png", booking_qr_png(booking), "image/png"),
            (booking_ics_filename(booking), booking_ics(booking), "text/calendar"),
        ],
    )


def queue_cancelled_by_centre(booking: Booking) -> None:
    """Staff cancelled the booking: the person hears it, with the reason and a fresh .ics (CANCELLED)."""
    user = booking.user
    if not user.email:
        return
    queue_templated_email(
        template_prefix="bookings/email/cancelled",
        to=[user.email],
        language=user.language,
        context={
            "booking": booking,
            "space": booking.space,
            "centre": booking.centre,
            "person": user,
            "centres_url": settings.SITE_URL.rstrip("/") + reverse("centres:directory"),
        },
        attachments=[(booking_ics_filename(booking), booking_ics(booking), "text/calendar")],
    )
