"""Named actors for booking tests: a centre open 09:00-18:00 every day, its spaces and people."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bookings.factories import CabinFactory, MeetingRoomFactory
from tests.centres.factories import CentreFactory, SpaceFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory, UserFactory


@pytest.fixture
def centre(db: Any) -> Any:
    centre = CentreFactory(name="Lahore Arfa Tower", slug="lahore-arfa", max_active_bookings=5)
    weekdays_open(centre)
    return centre


@pytest.fixture
def cabin(centre: Any) -> Any:
    return CabinFactory(centre=centre, label="Cabin A")


@pytest.fixture
def other_cabin(centre: Any) -> Any:
    return CabinFactory(centre=centre, label="Cabin B")


@pytest.fixture
def workstation(centre: Any) -> Any:
    return SpaceFactory(
        centre=centre, label="WS-01", rate_hourly_pkr=100, rate_daily_pkr=500, rate_monthly_pkr=3500
    )


@pytest.fixture
def meeting_room(centre: Any) -> Any:
    return MeetingRoomFactory(centre=centre, label="Meeting room Indus")


@pytest.fixture
def freelancer(db: Any) -> Any:
    """Registration submitted: may book by the hour and by the day, not monthly."""
    return RegistrationFactory(submitted=True).user


@pytest.fixture
def approved_freelancer(db: Any) -> Any:
    return RegistrationFactory(approved=True).user


@pytest.fixture
def other_freelancer(db: Any) -> Any:
    return RegistrationFactory(submitted=True).user


@pytest.fixture
def unregistered(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def desk(centre: Any) -> Any:
    return StaffMembershipFactory(centre=centre, role="desk", user=UserFactory()).user


@pytest.fixture
def outside_staff(db: Any) -> Any:
    return StaffMembershipFactory(user=UserFactory(), role="manager").user
