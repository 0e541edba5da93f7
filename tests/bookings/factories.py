"""Factories for bookings. Rows made here skip the service's rules on purpose (constraint tests)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory

from bookings.models import Booking, BookingStatus, Product
from centres.hours import LOCAL_TZ, local_today
from centres.models import SpaceKind
from tests.centres.factories import CentreFactory, SpaceFactory
from tests.freelancers.factories import UserFactory


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Asia/Karachi datetime on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    return at(local_today() + timedelta(days=1), hour, minute)


class CabinFactory(SpaceFactory):
    kind = SpaceKind.CABIN
    label = factory.Sequence(lambda n: f"Cabin {n}")
    rate_hourly_pkr = 200
    rate_daily_pkr = 1200
    rate_monthly_pkr = 4000


class MeetingRoomFactory(SpaceFactory):
    kind = SpaceKind.MEETING_ROOM
    label = factory.Sequence(lambda n: f"Meeting room {n}")
    capacity = 8
    rate_hourly_pkr = 500
    rate_daily_pkr = None
    rate_monthly_pkr = None


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    user = factory.SubFactory(UserFactory)
    space = factory.SubFactory(CabinFactory, centre=factory.SubFactory(CentreFactory))
    centre = factory.LazyAttribute(lambda o: o.space.centre)
    product = Product.HOURLY
    starts_at = factory.LazyFunction(lambda: tomorrow_at(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    price_pkr = 400
    status = BookingStatus.CONFIRMED
    holds_seat = factory.LazyAttribute(lambda o: o.space.kind in ("workstation", "cabin"))
