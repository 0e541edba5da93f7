"""Time and rows for desk tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bookings.models import Booking
from centres.hours import LOCAL_TZ
from tests.bookings.factories import BookingFactory

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ)


def today_at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def make_booking(space: Any, user: Any, start: datetime, end: datetime, **extra: Any) -> Booking:
    """A booking row as the bookings service would have left it (rules skipped on purpose)."""
    return BookingFactory(space=space, centre=space.centre, user=user, starts_at=start, ends_at=end, **extra)
