"""Background jobs of the bookings app. Thin: each calls a service."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task

from centres.hours import local_today

from . import housekeeping, reminders
from .occupancy.services import occupancy_compute


@shared_task
def compute_occupancy(day_iso: str | None = None) -> int:
    """Recompute the occupancy rows of one local day ("2026-11-29"), or of yesterday and today.

    Idempotent: it re-reads hours, spaces and bookings and upserts. Returns the rows written.
    """
    if day_iso:
        days = [date.fromisoformat(day_iso)]
    else:
        today = local_today()
        days = [today - timedelta(days=1), today]
    return sum(occupancy_compute(day=day) for day in days)


@shared_task
def send_booking_reminders() -> int:
    """Every few minutes: remind people whose booking starts within the lead time (each once)."""
    return reminders.send_due_reminders()


@shared_task
def release_no_shows() -> int:
    """Every few minutes: confirmed bookings past start + grace become no-shows; the person is told."""
    return housekeeping.release_no_shows()


@shared_task
def complete_finished_stays() -> int:
    """End of day: checked-in bookings whose time is over are completed."""
    return housekeeping.complete_finished_stays()
