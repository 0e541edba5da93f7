"""Writes: turn a day's opening hours, in-service spaces and bookings into ``OccupancyHour`` rows.

A fixed number of queries whatever the number of centres: centres with their hours and
closures (three), in-service space counts per centre and kind (one), the bookings touching
the day (one), then one upsert and one delete of rows the run did not write.

Bookable time uses the spaces in service *now*: there is no history of a space's service
state, so recomputing a past day counts today's spaces. The beat only recomputes today and
yesterday, where that is what a manager expects.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from centres import selectors as centre_selectors
from centres.hours import LOCAL_TZ, Interval
from centres.models import Centre, CentreStatus, Closure, OpeningHours, Space

from ..models import LONGEST_BOOKING, Booking, BookingStatus, OccupancyHour

# A booking occupies its space in these statuses; cancelled and no-show time was given back.
BOOKED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
# ... and the person actually came in these.
CHECKED_IN_STATUSES = (BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
HOUR = timedelta(hours=1)
LOCK_NAMESPACE = 0x0CC0  # first key of the advisory lock; the second is the day's ordinal

Key = tuple[int, int, str]  # (centre id, local hour, space kind)


def local_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def _hour_starts(day: date) -> list[datetime]:
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    return [start + h * HOUR for h in range(24)]


def _overlap_seconds(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def _seconds_per_hour(pieces: list[tuple[datetime, datetime]], hour_starts: list[datetime]) -> list[float]:
    """Seconds of ``pieces`` (disjoint [start, end) spans) falling in each local hour of the day."""
    result = [0.0] * 24
    for start, end in pieces:
        for h, hour_start in enumerate(hour_starts):
            result[h] += _overlap_seconds(start, end, hour_start, hour_start + HOUR)
    return result


def _within_opening(start: datetime, end: datetime, opening: list[Interval]) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) that fall inside the opening intervals (time outside hours is not bookable)."""
    pieces = []
    for interval in opening:
        lo, hi = max(start, interval.start), min(end, interval.end)
        if lo < hi:
            pieces.append((lo, hi))
    return pieces


def _centres_with_hours(day: date) -> list[Centre]:
    return list(
        Centre.objects.filter(status=CentreStatus.ACTIVE)
        .only("id")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
            # Yesterday's closure matters too: it cancels the late shift that would run into ``day``.
            Prefetch("closures", queryset=Closure.objects.filter(date__gte=day - timedelta(days=1), date__lte=day)),
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
    hour_starts = _hour_starts(day)
    day_start, day_end = hour_starts[0], hour_starts[-1] + HOUR

    centres = _centres_with_hours(day)
    centre_ids = [c.pk for c in centres]
    opening = {c.pk: centre_selectors.intervals_touching(c, day) for c in centres}
    spaces = _space_counts(centre_ids)

    bookable: dict[Key, float] = defaultdict(float)
    for centre_id, intervals in opening.items():
        open_seconds = _seconds_per_hour([(i.start, i.end) for i in intervals], hour_starts)
        for kind, count in spaces.get(centre_id, {}).items():
            for h, seconds in enumerate(open_seconds):
                if seconds:
                    bookable[(centre_id, h, kind)] = count * seconds

    booked: dict[Key, float] = defaultdict(float)
    checked_in: dict[Key, float] = defaultdict(float)
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
    )
    for centre_id, kind, starts_at, ends_at, status in bookings:
        pieces = _within_opening(starts_at, ends_at, opening.get(centre_id, []))
        if not pieces:
            continue
        for h, seconds in enumerate(_seconds_per_hour(pieces, hour_starts)):
            if seconds:
                booked[(centre_id, h, kind)] += seconds
                if status in CHECKED_IN_STATUSES:
                    checked_in[(centre_id, h, kind)] += seconds

    rows = []
    for key, bookable_seconds in bookable.items():
        centre_id, h, kind = key
        bookable_minutes = int(bookable_seconds // 60)
        # A booking of a space since taken out of service can push past the bookable time: clamp.
        booked_minutes = min(int(booked.get(key, 0) // 60), bookable_minutes)
        checked_in_minutes = min(int(checked_in.get(key, 0) // 60), booked_minutes)
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
