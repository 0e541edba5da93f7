"""Time first, as Skedda and deskbird do: a day, a start (or "now") and a length, and the spaces
free for all of it, by kind, each with its price.

``free_by_kind`` costs the same few queries for 3 spaces or 300: the centre's hours, closures
and duration rules (prefetched with the centre), its spaces, and the day's bookings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from centres import selectors as centre_selectors
from centres.hours import Interval, local_datetime, local_today
from centres.models import Centre, Closure, Space, SpaceKind

from . import rules
from .models import HOLDING_STATUSES, LONGEST_BOOKING, Booking
from .selectors import _busy_by_space, bookable_spaces

NOW = "now"
# Lengths offered as one tap each; a kind's own limits (DurationRule) decide which it accepts.
LENGTHS = (60, 120, 180, 240, 360, 480)
# Free spaces shown per kind: the first few by label; the rest are counted (and on the grid).
SHOWN_PER_KIND = 6


def start_times(centre: Centre) -> list[time]:
    """Every half hour from the earliest opening to the latest closing of the week (local time)."""
    rows = centre_selectors.hours_rows(centre)
    if not rows:
        return []
    first = min(r.opens_at.hour * 60 + r.opens_at.minute for r in rows)
    first = -(-first // rules.GRID_MINUTES) * rules.GRID_MINUTES
    # A shift running past midnight is offered up to 23:30 of the day it starts.
    last = max(
        r.closes_at.hour * 60 + r.closes_at.minute if r.closes_at > r.opens_at else 24 * 60 for r in rows
    )
    return [time(m // 60, m % 60) for m in range(first, last, rules.GRID_MINUTES)]


@dataclass(frozen=True)
class FreeSpace:
    space: Space
    price_pkr: int
    # The day pass's price when the whole day is free and costs less than the hours chosen.
    day_pass_pkr: int | None = None


@dataclass
class KindGroup:
    kind: str
    label: str
    free: list[FreeSpace] = field(default_factory=list)
    # The kind's limits in minutes when the chosen length is outside them (then nothing is free).
    limits: tuple[int, int] | None = None

    @property
    def shown(self) -> list[FreeSpace]:
        return self.free[:SHOWN_PER_KIND]

    @property
    def more(self) -> int:
        return max(0, len(self.free) - SHOWN_PER_KIND)

    @property
    def monthly(self) -> FreeSpace | None:
        """The first shown seat with a monthly rate (offered to approved freelancers)."""
        return next((f for f in self.shown if f.space.is_seat and f.space.rate_monthly_pkr is not None), None)

    @property
    def cheaper_day_pass(self) -> FreeSpace | None:
        """The first shown space whose day pass costs less than the hours chosen."""
        return next((f for f in self.shown if f.day_pass_pkr is not None), None)


@dataclass
class FreeSpaces:
    day: date
    minutes: int
    start: datetime | None
    opening: list[Interval]
    groups: list[KindGroup]
    # Why nothing can be offered: "closed" (that day), "past" (the start has gone by),
    # "outside" (the time runs outside opening hours); "" when the search ran.
    problem: str = ""
    day_pass_start: datetime | None = None
    # The first day of the month a monthly plan booked from this start covers (None: none can be).
    monthly_from: date | None = None

    @property
    def end(self) -> datetime | None:
        return self.start + timedelta(minutes=self.minutes) if self.start else None

    @property
    def free_count(self) -> int:
        return sum(len(g.free) for g in self.groups)

    @property
    def offers_monthly_seats(self) -> bool:
        return any(
            f.space.is_seat and f.space.rate_monthly_pkr is not None for g in self.groups for f in g.free
        )

    @property
    def closes_at(self) -> datetime | None:
        return self.opening[-1].end if self.opening else None


def resolve_start(opening: list[Interval], day_start: str, now: datetime) -> datetime | None:
    """The chosen start as an aware moment: "now" is the next half hour (or the opening time)."""
    if not opening:
        return None
    if day_start == NOW:
        first = max(opening[0].start, rules.ceil_to_grid(now))
        return next(
            (max(first, i.start) for i in opening if max(first, i.start) < i.end),
            None,
        )
    try:
        chosen = time.fromisoformat(day_start)
    except ValueError:
        return None
    return local_datetime(opening[0].start.astimezone(rules.LOCAL_TZ).date(), chosen)


def free_by_kind(
    centre: Centre, day: date, start: str, minutes: int, *, now: datetime | None = None
) -> FreeSpaces:
    """The in-service spaces of ``centre`` free for all of ``minutes`` from ``start`` on ``day``,
    grouped in the order of SpaceKind, each priced for that length."""
    now = now or timezone.now()
    opening = centre_selectors.opening_intervals(centre, day)
    result = FreeSpaces(day, minutes, None, opening, [])
    if not opening:
        result.problem = "closed"
        return result
    begins = resolve_start(opening, start, now)
    if begins is None:
        result.problem = "past" if start == NOW else "outside"
        return result
    result.start = begins
    ends = begins + timedelta(minutes=minutes)
    if begins < rules.floor_to_grid(now):
        result.problem = "past"
        return result
    if not any(interval.contains(begins, ends) for interval in opening):
        result.problem = "outside"
        return result
    spaces = [s for s in bookable_spaces(centre) if s.rate_hourly_pkr is not None]
    window = rules.day_pass_window(opening)
    assert window is not None
    busy = _busy_by_space([s.pk for s in spaces], window.start, window.end, centre_id=centre.pk)
    day_pass_free = window.start >= now
    # As booking_options: a plan from the 1st is that month, from any other day the next one.
    first = day if day.day == 1 else rules.next_month_start(day)
    result.monthly_from = first if local_datetime(first, time(0)) >= now else None
    result.day_pass_start = begins if day_pass_free else None
    groups: dict[str, KindGroup] = {}
    for kind in SpaceKind:
        shortest, longest = centre_selectors.duration_limits(centre, kind.value)
        group = KindGroup(kind.value, str(kind.label))
        if not shortest <= minutes <= longest:
            group.limits = (shortest, longest)
        groups[kind.value] = group
    for space in spaces:
        group = groups[space.kind]
        if group.limits is not None:
            continue
        taken = busy.get(space.pk, [])
        if any(b_start < ends and begins < b_end for b_start, b_end in taken):
            continue
        assert space.rate_hourly_pkr is not None
        price = rules.hourly_price(space.rate_hourly_pkr, minutes)
        day_pass = None
        if (
            day_pass_free
            and space.rate_daily_pkr is not None
            and space.rate_daily_pkr < price
            and not taken  # the whole day is free
        ):
            day_pass = space.rate_daily_pkr
        group.free.append(FreeSpace(space, price, day_pass))
    present = {s.kind for s in spaces}
    result.groups = [g for g in groups.values() if g.kind in present]
    return result


def finder_days(today: date, horizon_days: int, count: int = 7) -> list[date]:
    """The days offered as one tap each: today and the next ones, within the booking horizon."""
    return [today + timedelta(days=n) for n in range(min(count, horizon_days + 1))]


def free_today_counts(centres: list[Centre], *, now: datetime | None = None) -> dict[int, int]:
    """For the directory's cards: per centre, the in-service spaces with at least one free half
    hour left today. Four queries for a page of centres, however many spaces they hold."""
    now = now or timezone.now()
    today = local_today(now)
    prefetch_related_objects(
        centres, "opening_hours", Prefetch("closures", queryset=Closure.objects.filter(date=today))
    )
    windows: dict[int, list[Interval]] = {}
    for centre in centres:
        start = rules.ceil_to_grid(now)
        windows[centre.pk] = [
            Interval(max(i.start, start), i.end)
            for i in centre_selectors.opening_intervals(centre, today)
            if i.end - max(i.start, start) >= rules.GRID
        ]
    open_ids = [pk for pk, intervals in windows.items() if intervals]
    if not open_ids:
        return {centre.pk: 0 for centre in centres}
    first = min(i.start for pk in open_ids for i in windows[pk])
    last = max(i.end for pk in open_ids for i in windows[pk])
    spaces = list(
        Space.objects.filter(centre_id__in=open_ids, in_service=True).values_list("pk", "centre_id")
    )
    held: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for space_id, starts_at, ends_at in (
        Booking.objects.filter(
            centre_id__in=open_ids,
            status__in=HOLDING_STATUSES,
            starts_at__gte=first - LONGEST_BOOKING,
            starts_at__lt=last,
            ends_at__gt=first,
        )
        .order_by()
        .values_list("space_id", "starts_at", "ends_at")
    ):
        held[space_id].append((starts_at, ends_at))
    counts = {centre.pk: 0 for centre in centres}
    for space_id, centre_id in spaces:
        taken = held.get(space_id, [])
        if any(f.end - f.start >= rules.GRID for i in windows[centre_id] for f in rules.subtract(i, taken)):
            counts[centre_id] += 1
    return counts
