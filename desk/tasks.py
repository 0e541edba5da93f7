"""Scheduled desk jobs. Thin: they call the services, which are safe to run twice at once."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def release_no_shows() -> int:
    """Every few minutes: confirmed bookings past start + grace become no-shows; the person is told."""
    return services.release_no_shows()


@shared_task
def complete_finished_stays() -> int:
    """End of day: checked-in bookings whose time is over are completed."""
    return services.complete_finished_stays()
