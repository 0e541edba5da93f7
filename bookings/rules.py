"""Pure booking arithmetic: the 30-minute grid, product windows, prices, local time labels.

No queries here; services and selectors feed these functions what they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.utils.formats import date_format

from centres.hours import LOCAL_TZ, Interval, local_datetime

from .models import Product

GRID_MINUTES = 30
GRID = timedelta(minutes=GRID_MINUTES)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def time_label(moment: datetime) -> str:
    """ "14:30", Pakistan time, for messages."""
    return date_format(local(moment), "H:i")


def day_label(moment: datetime) -> str:
    """ "Monday 30 November 2026", Pakistan time, in the active language."""
    return date_format(local(moment), "l j F Y")


def on_grid(moment: datetime) -> bool:
    """True when ``moment`` falls on a local :00 or :30 with no seconds."""
    local = moment.astimezone(LOCAL_TZ)
    return local.minute % GRID_MINUTES == 0 and local.second == 0 and local.microsecond == 0


def floor_to_grid(moment: datetime) -> datetime:
    """The grid point at or before ``moment`` (in local time, returned aware)."""
    local = moment.astimezone(LOCAL_TZ)
    return local.replace(minute=local.minute - local.minute % GRID_MINUTES, second=0, microsecond=0)


def ceil_to_grid(moment: datetime) -> datetime:
    """The first grid point at or after ``moment`` (in local time, returned aware)."""
    floor = floor_to_grid(moment)
    return floor if floor == moment else floor + GRID


def minutes_between(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def hourly_price(rate_hourly_pkr: int, minutes: int) -> int:
    """Whole rupees for ``minutes`` at an hourly rate, a part-hour rounded up to the next rupee."""
    return -(-rate_hourly_pkr * minutes // 60)


def day_pass_window(intervals: list[Interval]) -> Interval | None:
    """A day pass runs from the day's first opening to its last closing."""
    if not intervals:
        return None
    return Interval(intervals[0].start, intervals[-1].end)


def month_window(day: date) -> Interval:
    """The calendar month holding ``day``, midnight to midnight in Asia/Karachi."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Interval(
        local_datetime(first, datetime.min.time()), local_datetime(following, datetime.min.time())
    )


def product_price(
    product: str, *, rate_hourly: int | None, rate_daily: int | None, rate_monthly: int | None, minutes: int
) -> int | None:
    """The price of a product from a space's rate card, or None when the space does not offer it."""
    if product == Product.HOURLY:
        return None if rate_hourly is None else hourly_price(rate_hourly, minutes)
    if product == Product.DAY_PASS:
        return rate_daily
    if product == Product.MONTHLY:
        return rate_monthly
    return None


def subtract(window: Interval, busy: Iterable[tuple[datetime, datetime]]) -> list[Interval]:
    """The parts of ``window`` not covered by any of the ``busy`` ranges."""
    free: list[Interval] = []
    cursor = window.start
    for start, end in sorted(busy):
        if end <= cursor:
            continue
        if start >= window.end:
            break
        if start > cursor:
            free.append(Interval(cursor, min(start, window.end)))
        cursor = max(cursor, end)
        if cursor >= window.end:
            break
    if cursor < window.end:
        free.append(Interval(cursor, window.end))
    return free


def grid_points(start: datetime, end: datetime) -> Iterator[datetime]:
    cursor = ceil_to_grid(start)
    while cursor < end:
        yield cursor
        cursor += GRID
