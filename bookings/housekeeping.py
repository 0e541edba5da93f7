"""Booking housekeeping nobody at the desk performs: the no-show release and the end-of-day completion.

The beat runs ``release_no_shows`` every few minutes and ``complete_finished_stays`` at the
end of the day. Each booking is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` in its
own transaction and moved through the lifecycle's conditional UPDATE, so however many runs
overlap, each booking is changed (and announced) once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from erozgar.errors import DomainError

from . import lifecycle
from .models import Booking, BookingStatus, Product
from .notifications import queue_no_show

logger = logging.getLogger(__name__)


def no_show_candidates(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of confirmed bookings past ``lifecycle.release_time`` (monthly plans are never released)."""
    return list(
        Booking.objects.filter(status=BookingStatus.CONFIRMED, starts_at__lte=now)
        .exclude(product=Product.MONTHLY)
        .annotate(release_at=lifecycle.release_time_sql())
        .filter(release_at__lte=now)
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def still_checked_in_after_end(*, now: datetime, limit: int = 1000) -> list[int]:
    """Checked-in bookings (not monthly plans) whose time is over: the end-of-day job completes them."""
    return list(
        Booking.objects.filter(status=BookingStatus.CHECKED_IN, ends_at__lte=now)
        .exclude(product=Product.MONTHLY)
        .order_by("ends_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _claim_each(ids: list[int], *, status: str, change: Callable[[Booking], Booking]) -> list[Booking]:
    """Apply ``change`` to each booking still in ``status``, one transaction each.

    ``SELECT ... FOR UPDATE SKIP LOCKED`` lets a second run pass over rows the first is
    working on, and the bookings service's conditional UPDATE refuses a row that moved on:
    whatever runs at the same time, each booking is changed (and announced) once.
    """
    changed = []
    for pk in ids:
        with transaction.atomic():
            claimed = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, status=status)
                .first()
            )
            if claimed is None:
                continue  # another run holds it, or has already moved it
            try:
                changed.append(change(claimed))
            except DomainError:
                continue
    return changed


def release_no_shows(*, now: datetime | None = None) -> int:
    """Mark confirmed bookings not checked in by start + grace as no-shows and tell each person once.

    The email's outbox row is written inside the transaction that moved the booking, so
    only the run that actually released it queues one.
    """
    now = now or timezone.now()

    def release(booking: Booking) -> Booking:
        booking = lifecycle.booking_mark_no_show(booking=booking, actor=None, now=now)
        queue_no_show(booking)
        return booking

    released = _claim_each(no_show_candidates(now=now), status=BookingStatus.CONFIRMED, change=release)
    if released:
        logger.info("released %s no-show bookings", len(released))
    return len(released)


def complete_finished_stays(*, now: datetime | None = None) -> int:
    """End of day: complete every checked-in booking whose time is over (nobody checked them out)."""
    now = now or timezone.now()
    completed = _claim_each(
        still_checked_in_after_end(now=now),
        status=BookingStatus.CHECKED_IN,
        change=lambda booking: lifecycle.booking_complete(booking=booking, actor=None, now=now),
    )
    return len(completed)
