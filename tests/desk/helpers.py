"""Time and rows for desk tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bookings.models import Booking, BookingStatus
from centres.hours import LOCAL_TZ
from desk.models import Payment
from tests.bookings.factories import BookingFactory, MeetingRoomFactory
from tests.freelancers.factories import UserFactory

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LOCAL_TZ)


def today_at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def make_booking(space: Any, user: Any, start: datetime, end: datetime, **extra: Any) -> Booking:
    """A booking row as the bookings service would have left it (rules skipped on purpose)."""
    return BookingFactory(space=space, centre=space.centre, user=user, starts_at=start, ends_at=end, **extra)


def fill_day(centre: Any, count: int) -> None:
    """``count`` bookings today in meeting rooms, 30-minute slots from 09:00 (no rules, just rows)."""
    rooms = [MeetingRoomFactory(centre=centre) for _ in range(max(1, count // 15))]
    people = [UserFactory() for _ in range(5)]
    rows = []
    for n in range(count):
        room = rooms[n % len(rooms)]
        slot = n // len(rooms)
        start = today_at(9) + slot * (today_at(9, 30) - today_at(9))
        rows.append(
            Booking(
                user=people[n % 5],
                space=room,
                centre=centre,
                starts_at=start,
                ends_at=start + (today_at(9, 30) - today_at(9)),
                price_pkr=250,
                status=[BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN][n % 2],
                checked_in_at=start if n % 2 else None,
            )
        )
    created = Booking.objects.bulk_create(rows)
    Payment.objects.bulk_create(
        [Payment(booking=b, centre=centre, amount_pkr=100, received_by=people[0]) for b in created[::3]]
    )
