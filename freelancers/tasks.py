"""Nightly registry jobs. Thin: find the ids, let the services do the work (each idempotent)."""

from __future__ import annotations

import datetime

from celery import shared_task

from centres.hours import local_today
from freelancers import lifecycle, selectors

REMINDER_DAYS_BEFORE = 30


@shared_task
def expire_registrations() -> int:
    """Approved registrations past their validity become expired (and the freelancer is told)."""
    today = local_today()
    ids = list(selectors.registrations_past_validity(today).values_list("pk", flat=True))
    return sum(lifecycle.registration_expire(registration_id=pk) for pk in ids)


@shared_task
def send_expiry_reminders() -> int:
    """Email everyone whose certificate ends within 30 days, once per validity period."""
    today = local_today()
    ids = list(
        selectors.registrations_due_for_reminder(
            today=today, until=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
        ).values_list("pk", flat=True)
    )
    return sum(lifecycle.send_expiry_reminder(registration_id=pk) for pk in ids)
