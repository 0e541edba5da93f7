"""Reminder emails: a few hours before a booking starts, the person gets the details again.

The beat runs ``send_due_reminders`` every few minutes. Each booking is claimed with a
conditional UPDATE (``reminder_sent_at IS NULL``) in its own transaction, and the email's
outbox row is written inside that transaction, so only the run whose UPDATE changed the
booking queues it: however many runs overlap, a booking is reminded once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Booking, BookingStatus, Product
from .notifications import queue_reminder

logger = logging.getLogger(__name__)

# How long before the start the reminder goes out. A booking made closer to its start than
# this gets no reminder: its confirmation has only just arrived.
REMINDER_LEAD = timedelta(hours=3)
# At most this many reminders per run; the next run (minutes later) takes the rest.
REMINDER_BATCH = 500


def reminder_candidates(*, now: datetime, limit: int = REMINDER_BATCH) -> list[Booking]:
    """Confirmed, not yet reminded bookings starting within the lead time, with person, space, centre.

    One query. Monthly plans are skipped (they run for weeks; the confirmation is enough),
    and so are bookings made less than the lead time before their start.
    """
    return list(
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_LEAD,
            created_at__lte=F("starts_at") - REMINDER_LEAD,
        )
        .exclude(product=Product.MONTHLY)
        .select_related("user", "space", "centre")
        .order_by("starts_at", "id")[:limit]
    )


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind each person whose booking starts within ``REMINDER_LEAD``; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for booking in reminder_candidates(now=now):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.CONFIRMED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue  # another run reminded it, or it was cancelled or checked in meanwhile
            booking.reminder_sent_at = now
            queue_reminder(booking)
        sent += 1
    if sent:
        logger.info("queued %s booking reminders", sent)
    return sent
