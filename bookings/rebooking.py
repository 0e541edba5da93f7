""" "Book again": for each booking on My bookings, the next time its space is free at the same
hour for the same length (or the next free day pass), within a week.

Three queries for any number of bookings: the centres' hours, their closures in the week, and
the spaces' bookings in the week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from centres import selectors as centre_selectors
from centres.hours import local_datetime, local_today
from centres.models import CentreStatus, Closure

from . import rules
from .models import HOLDING_STATUSES, LONGEST_BOOKING, Booking, Product

LOOK_AHEAD_DAYS = 7


@dataclass(frozen=True)
class Again:
    start: datetime
    option: str


def book_again(bookings: list[Booking], *, now: datetime | None = None) -> dict[int, Again]:
    """Booking id -> the start and review option of the same booking on the next day it is free.

    Monthly plans, spaces out of service and centres not taking bookings get no entry.
    """
    now = now or timezone.now()
    today = local_today(now)
    last = today + timedelta(days=LOOK_AHEAD_DAYS)
    candidates = [
        b
        for b in bookings
        if b.product in (Product.HOURLY, Product.DAY_PASS)
        and b.space.in_service
        and b.centre.status == CentreStatus.ACTIVE
    ]
    if not candidates:
        return {}
    # One object per centre (select_related gives each booking its own copy), prefetched once.
    centres = {b.centre_id: b.centre for b in candidates}
    prefetch_related_objects(
        list(centres.values()),
        "opening_hours",
        Prefetch("closures", queryset=Closure.objects.filter(date__gte=today, date__lte=last)),
    )
    week_start = local_datetime(today, datetime.min.time())
    week_end = local_datetime(last + timedelta(days=2), datetime.min.time())
    held: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for space_id, starts_at, ends_at in (
        Booking.objects.filter(
            space_id__in={b.space_id for b in candidates},
            status__in=HOLDING_STATUSES,
            starts_at__gte=week_start - LONGEST_BOOKING,
            starts_at__lt=week_end,
            ends_at__gt=week_start,
        )
        .order_by()
        .values_list("space_id", "starts_at", "ends_at")
    ):
        held[space_id].append((starts_at, ends_at))
    found: dict[int, Again] = {}
    for booking in candidates:
        centre = centres[booking.centre_id]
        horizon = today + timedelta(days=min(LOOK_AHEAD_DAYS, centre.booking_horizon_days))
        local_start = rules.local(booking.starts_at)
        length = booking.ends_at - booking.starts_at
        taken = held.get(booking.space_id, [])
        day = today
        while day <= horizon:
            opening = centre_selectors.opening_intervals(centre, day)
            if booking.product == Product.DAY_PASS:
                window = rules.day_pass_window(opening)
                start, end = (window.start, window.end) if window else (None, None)
                option = "day_pass"
            else:
                start = local_datetime(day, local_start.time())
                end = start + length
                option = f"hourly:{rules.minutes_between(booking.starts_at, booking.ends_at)}"
                if not any(i.contains(start, end) for i in opening):
                    start = None
            if (
                start is not None
                and end is not None
                and start >= now
                and not any(b_start < end and start < b_end for b_start, b_end in taken)
            ):
                found[booking.pk] = Again(start, option)
                break
            day += timedelta(days=1)
    return found


def attach(bookings: list[Any], again: dict[int, Again]) -> None:
    for booking in bookings:
        booking.again = again.get(booking.pk)
