"""Writes: turn a day's opening hours, in-service spaces and bookings into ``OccupancyHour`` rows.

A fixed number of queries whatever the number of centres: centres with their hours and
closures (three), in-service space counts per centre and kind (one), the bookings touching
the day (one), then one upsert and one delete of rows the run did not write.

Bookable time uses the spaces in service *now*: there is no history of a space's service
state, so recomputing a past day counts today's spaces. The beat only recomputes today and
yesterday, where that is what a manager expects.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from centres import selectors as centre_selectors
from centres.hours import LOCAL_TZ
from centres.models import Centre, CentreStatus, Closure, OpeningHours, Space

from ..models import LONGEST_BOOKING, Booking, BookingStatus, OccupancyHour

# A booking occupies its space in these statuses; cancelled and no-show time was given back.
BOOKED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
# ... and the person actually came in these.
CHECKED_IN_STATUSES = (BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
DAY_SECONDS = 24 * 3600.0
LOCK_NAMESPACE = 0x0CC0  # first key of the advisory lock; the second is the day's ordinal

Key = tuple[int, int, str]  # (centre id, local hour, space kind)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def _offsets(spans: list[tuple[datetime, datetime]], day_start: datetime) -> list[tuple[float, float]]:
    """Spans as seconds after the day's local midnight, clipped to the day.

    Plain floats: fast in the loops.
    """
    origin = day_start.timestamp()
    clipped = []
    for start, end in spans:
        lo, hi = max(start.timestamp() - origin, 0.0), min(end.timestamp() - origin, DAY_SECONDS)
        if lo < hi:
            clipped.append((lo, hi))
    return clipped


def _add_per_hour(totals: list[float], pieces: list[tuple[float, float]], weight: int = 1) -> None:
    """Add the seconds of each piece falling in each local hour (0-23) of the day to ``totals``."""
    for lo, hi in pieces:
        for h in range(int(lo // 3600), min(math.ceil(hi / 3600), 24)):
            seconds = min(hi, (h + 1) * 3600) - max(lo, h * 3600)
            if seconds > 0:
                totals[h] += seconds * weight


def _within(lo: float, hi: float, opening: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of [lo, hi) inside the opening intervals: time outside hours is not bookable."""
    return [(max(lo, o_lo), min(hi, o_hi)) for o_lo, o_hi in opening if max(lo, o_lo) < min(hi, o_hi)]


def _centres_with_hours(day: date) -> list[Centre]:
    return list(
        Centre.objects.filter(status=CentreStatus.ACTIVE)
        .only("id")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
            # Yesterday's closure matters too: it cancels the late shift that would run into ``day``.
            Prefetch(
                "closures", queryset=Closure.objects.filter(date__gte=day - timedelta(days=1), date__lte=day)
            ),
        )
        .order_by("pk")
    )


def _space_counts(centre_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Space.objects.filter(centre_id__in=centre_ids, in_service=True)
        .order_by()
        .values_list("centre_id", "kind")
        .annotate(n=Count("pk"))
    )
    for centre_id, kind, n in rows:
        counts[centre_id][kind] = n
    return counts


@transaction.atomic
def occupancy_compute(*, day: date, now: datetime | None = None) -> int:
    """Recompute every ``OccupancyHour`` of the local ``day``; returns the number of rows written.

    Idempotent: running it twice leaves the same rows (only ``computed_at`` moves). Rows of the
    day it no longer writes (a kind taken out of service, a centre suspended) are deleted.
    """
    now = now or timezone.now()
    # Two runs for the same day (the beat and a "Recompute" click) take turns, not interleave.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()])
    day_start = _day_start(day)
    day_end = day_start + timedelta(days=1)

    centres = _centres_with_hours(day)
    centre_ids = [c.pk for c in centres]
    opening = {
        c.pk: _offsets([(i.start, i.end) for i in centre_selectors.intervals_touching(c, day)], day_start)
        for c in centres
    }
    spaces = _space_counts(centre_ids)

    bookable: dict[Key, float] = {}
    for centre_id, intervals in opening.items():
        open_seconds = [0.0] * 24
        _add_per_hour(open_seconds, intervals)
        for kind, count in spaces.get(centre_id, {}).items():
            for h, seconds in enumerate(open_seconds):
                if seconds:
                    bookable[(centre_id, h, kind)] = count * seconds

    booked: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0] * 24)
    checked_in: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0] * 24)
    # Identical bookings (same centre, kind, times and status) arrive as one row with a count.
    bookings = (
        Booking.objects.filter(
            centre_id__in=centre_ids,
            status__in=BOOKED_STATUSES,
            starts_at__gte=day_start - LONGEST_BOOKING,  # keeps it an index range scan (see models)
            starts_at__lt=day_end,
            ends_at__gt=day_start,
        )
        .order_by()
        .values_list("centre_id", "space__kind", "starts_at", "ends_at", "status")
        .annotate(n=Count("pk"))
    )
    for centre_id, kind, starts_at, ends_at, status, n in bookings:
        for lo, hi in _offsets([(starts_at, ends_at)], day_start):
            pieces = _within(lo, hi, opening.get(centre_id, []))
            _add_per_hour(booked[(centre_id, kind)], pieces, n)
            if status in CHECKED_IN_STATUSES:
                _add_per_hour(checked_in[(centre_id, kind)], pieces, n)

    rows = []
    for key, bookable_seconds in bookable.items():
        centre_id, h, kind = key
        bookable_minutes = int(bookable_seconds // 60)
        # A booking of a space since taken out of service can push past the bookable time: clamp.
        booked_seconds = booked[(centre_id, kind)][h] if (centre_id, kind) in booked else 0.0
        checked_in_seconds = checked_in[(centre_id, kind)][h] if (centre_id, kind) in checked_in else 0.0
        booked_minutes = min(int(booked_seconds // 60), bookable_minutes)
        checked_in_minutes = min(int(checked_in_seconds // 60), booked_minutes)
        rows.append(
            OccupancyHour(
                centre_id=centre_id,
                day=day,
                hour=h,
                kind=kind,
                bookable_minutes=bookable_minutes,
                booked_minutes=booked_minutes,
                checked_in_minutes=checked_in_minutes,
                computed_at=now,
            )
        )
    if rows:
        OccupancyHour.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["centre", "day", "hour", "kind"],
            update_fields=["bookable_minutes", "booked_minutes", "checked_in_minutes", "computed_at"],
        )
    OccupancyHour.objects.filter(day=day).exclude(computed_at=now).delete()
    return len(rows)


def occupancy_recompute_later(*, days: list[date]) -> None:
    """Queue ``compute_occupancy`` for each day once the current transaction commits."""
    from ..tasks import compute_occupancy  # the tasks module imports the services

    for day in days:
        transaction.on_commit(lambda day=day: compute_occupancy.delay(day.isoformat()))  # type: ignore[misc]
