"""Named actors for desk tests: centre A (its desk clerk and manager), centre B (its manager),
a registered freelancer, and a fixed moment (Tuesday 1 December 2026, 10:00 in Karachi)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from bookings.models import Booking
from centres.models import SpaceKind, StaffRole
from tests.bookings.factories import CabinFactory
from tests.centres.factories import CentreFactory, SpaceFactory, StaffMembershipFactory, weekdays_open
from tests.desk.helpers import NOW, make_booking, today_at
from tests.freelancers.factories import RegistrationFactory, UserFactory


@pytest.fixture
def frozen() -> Iterator[Any]:
    """The clock stands still at NOW (move it with ``frozen.move_to``)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def centre(db: Any) -> Any:
    centre = CentreFactory(
        name="Lahore Arfa Tower", slug="lahore-arfa", checkin_opens_minutes=30, checkin_grace_minutes=30
    )
    weekdays_open(centre)  # 09:00-18:00 every day
    return centre


@pytest.fixture
def other_centre(db: Any) -> Any:
    centre = CentreFactory(name="Karachi Saddar", slug="karachi-saddar", city="Karachi", province="sindh")
    weekdays_open(centre)
    return centre


@pytest.fixture
def cabin(centre: Any) -> Any:
    return CabinFactory(centre=centre, label="Cabin A")


@pytest.fixture
def workstation(centre: Any) -> Any:
    return SpaceFactory(
        centre=centre, kind=SpaceKind.WORKSTATION, label="WS-01", rate_hourly_pkr=100, rate_daily_pkr=500
    )


@pytest.fixture
def clerk(centre: Any) -> Any:
    return StaffMembershipFactory(
        centre=centre, role=StaffRole.DESK, user=UserFactory(full_name="Desk Clerk")
    ).user


@pytest.fixture
def manager(centre: Any) -> Any:
    return StaffMembershipFactory(
        centre=centre, role=StaffRole.MANAGER, user=UserFactory(full_name="Manager")
    ).user


@pytest.fixture
def other_staff(other_centre: Any) -> Any:
    """Manager of the other centre: must see and touch nothing of ours."""
    return StaffMembershipFactory(centre=other_centre, role=StaffRole.MANAGER, user=UserFactory()).user


@pytest.fixture
def registration(db: Any) -> Any:
    return RegistrationFactory(submitted=True, cnic="35202-1234567-1", mobile="+923001234567")


@pytest.fixture
def freelancer(registration: Any) -> Any:
    return registration.user


@pytest.fixture
def booking(cabin: Any, freelancer: Any) -> Booking:
    """Cabin A, today 10:00-12:00, confirmed."""
    return make_booking(cabin, freelancer, today_at(10), today_at(12))
