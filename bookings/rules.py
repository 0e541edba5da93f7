"""Pure booking arithmetic: the 30-minute grid, product windows, prices, local time labels.

No queries here; services and selectors feed these functions what they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def ltr(text: str) -> str:
    """``text`` isolated left-to-right (U+2066 ... U+2069), so that "10:00–12:00" or "+92 300 ..."
    keeps its order inside Urdu. HTML pages turn the pair into a ``<span dir="ltr">``."""
    return f"\u2066{text}\u2069"


def span_label(start: datetime, end: datetime) -> str:
    """ "10:00–12:00", isolated left-to-right."""
    return ltr(f"{time_label(start)}–{time_label(end)}")


def when_label(product: str, starts_at: datetime, ends_at: datetime) -> str:
    """When a booking is, as people say it: times for an hourly booking, the day for a day pass,
    the first and last day for a monthly plan (never "00:00–00:00")."""
    if product == Product.MONTHLY:
        last = (local(ends_at) - timedelta(days=1)).date()
        return _("%(first)s to %(last)s") % {
            "first": date_format(local(starts_at).date(), "j F Y"),
            "last": date_format(last, "j F Y"),
        }
    if product == Product.DAY_PASS:
        return _("%(day)s, all day (%(hours)s)") % {
            "day": day_label(starts_at),
            "hours": span_label(starts_at, ends_at),
        }
    return f"{day_label(starts_at)}, {span_label(starts_at, ends_at)}"


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


def next_month_start(day: date) -> date:
    """The 1st of the calendar month after the one holding ``day``."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def last_start_day(product: str, today: date, horizon_days: int) -> date:
    """The last day a booking of ``product`` may start on.

    The centre's horizon (``horizon_days`` from today), except that a monthly plan for the
    next calendar month may always be booked: on 1 December a 30-day horizon ends on
    31 December, and January's plan must not be offered and then refused.
    """
    last = today + timedelta(days=horizon_days)
    if product == Product.MONTHLY:
        return max(last, next_month_start(today))
    return last


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
