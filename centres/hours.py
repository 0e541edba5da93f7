"""Opening hours as concrete intervals in Asia/Karachi time.

The one place that turns weekday rows, midnight-crossing shifts and dated closures
into aware datetime intervals. Bookings and the directory ("open now") both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class HoursRow:
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    """The date in Pakistan at ``now`` (default: this moment). The one "today" of the portal."""
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def intervals_for_day(
    rows: Iterable[HoursRow], day: date, closed_dates: Iterable[date] = ()
) -> list[Interval]:
    """Opening intervals that *start* on ``day`` (a late shift may end the next morning).

    A closure on ``day`` removes that day's intervals; an interval that started the
    evening before still runs into ``day`` (it belongs to the day it started).
    """
    if day in set(closed_dates):
        return []
    intervals = []
    for row in rows:
        if row.weekday != day.weekday():
            continue
        start = local_datetime(day, row.opens_at)
        end_day = day if row.closes_at > row.opens_at else day + timedelta(days=1)
        intervals.append(Interval(start, local_datetime(end_day, row.closes_at)))
    return sorted(intervals, key=lambda i: i.start)


def intervals_touching(
    rows: Iterable[HoursRow], day: date, closed_dates: Iterable[date] = ()
) -> list[Interval]:
    """Every opening interval overlapping the local calendar ``day`` (includes last night's late shift)."""
    rows = list(rows)
    closed = set(closed_dates)
    day_start = local_datetime(day, time(0))
    day_end = day_start + timedelta(days=1)
    found = intervals_for_day(rows, day - timedelta(days=1), closed) + intervals_for_day(rows, day, closed)
    return [i for i in found if i.end > day_start and i.start < day_end]


def is_open_at(rows: Iterable[HoursRow], moment: datetime, closed_dates: Iterable[date] = ()) -> bool:
    local = moment.astimezone(LOCAL_TZ)
    return any(i.start <= moment < i.end for i in intervals_touching(rows, local.date(), closed_dates))


def covering_interval(
    rows: Iterable[HoursRow], start: datetime, end: datetime, closed_dates: Iterable[date] = ()
) -> Interval | None:
    """The opening interval holding all of [start, end), or None when any part is outside hours."""
    local = start.astimezone(LOCAL_TZ)
    for interval in intervals_touching(rows, local.date(), closed_dates):
        if interval.contains(start, end):
            return interval
    return None
