"""Reads: a centre's availability for a day, and a person's own bookings.

``availability`` costs the same handful of queries for 3 spaces or 300: opening hours,
closures, spaces, and the bookings overlapping the day, each read once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.db.models import Q, QuerySet
from django.utils import timezone

from centres import selectors as centre_selectors
from centres.hours import Interval
from centres.models import Centre, Space
from erozgar.ids import parse_id
from erozgar.money import rupees

from . import rules
from .models import HOLDING_STATUSES, LONGEST_BOOKING, Booking


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    state: str  # "free", "taken" or "past"

    @property
    def is_free(self) -> bool:
        return self.state == "free"

    @property
    def label(self) -> str:
        """ "09:30" in Pakistan time (the grid's column heading)."""
        return self.start.astimezone(rules.LOCAL_TZ).strftime("%H:%M")

    @property
    def param(self) -> str:
        """The start as a URL-safe ISO 8601 value for the review link."""
        return quote(self.start.astimezone(rules.LOCAL_TZ).isoformat())


@dataclass
class SpaceAvailability:
    space: Space
    free: list[Interval] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    @property
    def free_slot_count(self) -> int:
        return sum(1 for s in self.slots if s.is_free)


@dataclass
class DayAvailability:
    centre: Centre
    day: date
    opening: list[Interval]
    spaces: list[SpaceAvailability]
    slot_starts: list[datetime]

    @property
    def is_closed(self) -> bool:
        return not self.opening


def _busy_by_space(
    space_ids: list[int], start: datetime, end: datetime, *, centre_id: int | None = None
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Held time per space overlapping [start, end).

    ``starts_at >= start - LONGEST_BOOKING`` (a database-checked bound) keeps this an index
    range scan of a few weeks however long a space's history grows.
    """
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    held = Booking.objects.filter(
        status__in=HOLDING_STATUSES,
        starts_at__gte=start - LONGEST_BOOKING,
        starts_at__lt=end,
        ends_at__gt=start,
        space_id__in=space_ids,
    )
    if centre_id is not None:
        held = held.filter(centre_id=centre_id)
    for space_id, starts_at, ends_at in held.order_by().values_list("space_id", "starts_at", "ends_at"):
        busy[space_id].append((starts_at, ends_at))
    return busy


def bookable_spaces(centre: Centre, kind: str | None = None) -> QuerySet[Space]:
    spaces = Space.objects.filter(centre=centre, in_service=True)
    if kind:
        spaces = spaces.filter(kind=kind)
    return spaces.order_by("kind", "label")


def availability(
    centre: Centre,
    day: date,
    kind: str | None = None,
    *,
    spaces: list[Space] | None = None,
    now: datetime | None = None,
    with_slots: bool = True,
) -> DayAvailability:
    """Every bookable space of ``centre`` (or just ``spaces``, a page of them) with its free
    intervals and 30-minute slots on ``day``.

    Time before ``now`` is never free. A closed day has no opening and no slots. The free
    intervals are one pass over each space's sorted bookings; ``with_slots=False`` (the API, which
    returns intervals only) skips the 30-minute slots, which the grid page draws for its page of
    spaces (300 spaces over 14 hours would be 8,400 of them).
    """
    now = now or timezone.now()
    opening = centre_selectors.opening_intervals(centre, day)
    if spaces is None:
        spaces = list(bookable_spaces(centre, kind))
    if not opening or not spaces:
        return DayAvailability(centre, day, opening, [SpaceAvailability(s) for s in spaces], [])
    window_start, window_end = opening[0].start, opening[-1].end
    busy = _busy_by_space([s.pk for s in spaces], window_start, window_end, centre_id=centre.pk)
    slot_starts = [p for interval in opening for p in rules.grid_points(interval.start, interval.end)]
    result = []
    for space in spaces:
        taken = busy.get(space.pk, [])
        free: list[Interval] = []
        for interval in opening:
            if interval.end <= now:
                continue
            clipped = Interval(max(interval.start, rules.ceil_to_grid(now)), interval.end)
            free.extend(rules.subtract(clipped, taken))
        slots: list[Slot] = []
        for start in slot_starts if with_slots else ():
            end = start + rules.GRID
            if start < now:
                state = "past"
            elif any(b_start < end and start < b_end for b_start, b_end in taken):
                state = "taken"
            else:
                state = "free"
            slots.append(Slot(start, end, state))
        result.append(SpaceAvailability(space, free, slots))
    return DayAvailability(centre, day, opening, result, slot_starts)


def free_spaces_like(space: Space, start: datetime, end: datetime, *, limit: int = 5) -> list[Space]:
    """Other in-service spaces of the same kind at the same centre, free for all of [start, end)."""
    overlapping = Booking.objects.filter(
        centre_id=space.centre_id,
        status__in=HOLDING_STATUSES,
        starts_at__gte=start - LONGEST_BOOKING,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values("space_id")
    return list(
        Space.objects.filter(centre_id=space.centre_id, kind=space.kind, in_service=True)
        .exclude(pk=space.pk)
        .exclude(pk__in=overlapping)
        .order_by("label")[:limit]
    )


def nearest_free_times(
    space: Space, start: datetime, end: datetime, *, limit: int = 3, now: datetime | None = None
) -> list[Interval]:
    """Up to ``limit`` slots of the same length on the same day for ``space``, nearest to ``start`` first."""
    length = end - start
    day = start.astimezone(rules.LOCAL_TZ).date()
    opening = centre_selectors.opening_intervals(space.centre, day)
    if not opening:
        return []
    busy = _busy_by_space([space.pk], opening[0].start, opening[-1].end, centre_id=space.centre_id).get(
        space.pk, []
    )
    now = now or timezone.now()
    candidates = []
    for interval in opening:
        for free in rules.subtract(interval, busy):
            for point in rules.grid_points(max(free.start, now), free.end):
                if point + length <= free.end:
                    candidates.append(Interval(point, point + length))
    candidates.sort(key=lambda c: (abs((c.start - start).total_seconds()), c.start))
    return sorted(candidates[:limit], key=lambda c: c.start)


def bookings_for_user(
    user: Any, *, upcoming: bool | None = None, now: datetime | None = None
) -> QuerySet[Booking]:
    """The person's own bookings with space and centre; ``upcoming`` splits not-yet-ended from the rest."""
    qs = Booking.objects.filter(user_id=user.pk).select_related("space", "centre")
    now = now or timezone.now()
    if upcoming is True:
        return qs.filter(ends_at__gt=now, status__in=HOLDING_STATUSES).order_by("starts_at", "id")
    if upcoming is False:
        return qs.filter(~Q(status__in=HOLDING_STATUSES) | Q(ends_at__lte=now)).order_by("-starts_at", "-id")
    return qs.order_by("-starts_at", "-id")


def booking_for_user(user: Any, id_or_reference: int | str) -> Booking | None:
    """The person's booking by id or reference; None for anyone else's (callers answer 404)."""
    qs = Booking.objects.filter(user_id=user.pk).select_related("space", "centre")
    key = str(id_or_reference).strip()
    match = Q(reference=key.upper())
    pk = parse_id(key)
    if pk is not None:
        match |= Q(pk=pk)
    return qs.filter(match).first()


def booking_events(booking: Booking) -> QuerySet[Any]:
    return booking.events.select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class BookingOption:
    """One thing a person can book from a chosen start: a length, a day pass or a monthly plan."""

    key: str
    product: str
    starts_at: datetime
    ends_at: datetime
    price_pkr: int
    label: str


def booking_options(
    space: Space,
    start: datetime,
    *,
    may_book_monthly: bool,
    only_free: bool = True,
    now: datetime | None = None,
) -> list[BookingOption]:
    """What ``space`` can be booked as from ``start``: each allowed length, a day pass, a monthly plan.

    With ``only_free`` (the review page) only what is free now is offered. Confirming uses
    ``only_free=False`` so that a slot taken meanwhile reaches booking_create and comes back
    as a Conflict with alternatives, not as a vanished choice.
    """
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from .forms import duration_label
    from .models import Product

    now = now or timezone.now()
    centre = space.centre
    day = start.astimezone(rules.LOCAL_TZ).date()
    opening = centre_selectors.opening_intervals(centre, day)
    options: list[BookingOption] = []
    if not opening or start < now or not rules.on_grid(start):
        return options
    busy = (
        _busy_by_space([space.pk], opening[0].start, opening[-1].end).get(space.pk, []) if only_free else []
    )

    if space.rate_hourly_pkr is not None:
        shortest, longest = centre_selectors.duration_limits(centre, space.kind)
        room = next(
            (f for interval in opening for f in rules.subtract(interval, busy) if f.start <= start < f.end),
            None,
        )
        if room is not None:
            minutes = shortest
            while minutes <= longest and start + timedelta(minutes=minutes) <= room.end:
                end = start + timedelta(minutes=minutes)
                price = rules.hourly_price(space.rate_hourly_pkr, minutes)
                options.append(
                    BookingOption(
                        f"hourly:{minutes}",
                        Product.HOURLY,
                        start,
                        end,
                        price,
                        f"{duration_label(minutes)} ({rules.span_label(start, end)}) · {rupees(price)}",
                    )
                )
                minutes += rules.GRID_MINUTES
    window = rules.day_pass_window(opening)
    if (
        space.rate_daily_pkr is not None
        and window is not None
        and window.start >= now
        and not any(b_start < window.end and window.start < b_end for b_start, b_end in busy)
    ):
        options.append(
            BookingOption(
                "day_pass",
                Product.DAY_PASS,
                window.start,
                window.end,
                space.rate_daily_pkr,
                _("Day pass (%(span)s) · %(price)s")
                % {"span": rules.span_label(window.start, window.end), "price": rupees(space.rate_daily_pkr)},
            )
        )
    if space.is_seat and space.rate_monthly_pkr is not None and may_book_monthly:
        first = day if day.day == 1 else rules.next_month_start(day)
        month = rules.month_window(first)
        last_start = rules.last_start_day(
            Product.MONTHLY, rules.local(now).date(), centre.booking_horizon_days
        )
        taken = (
            first <= last_start
            and only_free
            and Booking.objects.filter(
                space_id=space.pk,
                status__in=HOLDING_STATUSES,
                starts_at__lt=month.end,
                ends_at__gt=month.start,
            ).exists()
        )
        if first <= last_start and not taken and month.start >= now:
            options.append(
                BookingOption(
                    "monthly",
                    Product.MONTHLY,
                    month.start,
                    month.end,
                    space.rate_monthly_pkr,
                    _("Monthly seat plan, %(month)s · %(price)s")
                    % {"month": date_format(first, "F Y"), "price": rupees(space.rate_monthly_pkr)},
                )
            )
    return options
