"""Emails from the desk's jobs, rendered in the person's language and sent by Celery after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from bookings.models import Booking
from erozgar.mail import queue_templated_email


def queue_no_show_email(booking: Booking) -> None:
    """Tell the person their booking was released because nobody checked in within the grace period."""
    booking = Booking.objects.select_related("user", "space", "centre").get(pk=booking.pk)
    person = booking.user
    site = settings.SITE_URL.rstrip("/")
    queue_templated_email(
        template_prefix="desk/email/no_show",
        to=[person.email],
        language=person.language,
        context={
            "booking": booking,
            "space": booking.space,
            "centre": booking.centre,
            "person": person,
            "grace_minutes": booking.centre.checkin_grace_minutes,
            "book_again_url": site + reverse("bookings:book", args=[booking.centre.slug]),
        },
    )
