"""Named actors shared by the booking and desk tests: one centre open 09:00-18:00 every day
(check-in opens 30 minutes before a start, 30 minutes' grace), its spaces, its desk clerk, a
registered freelancer, and a second centre with its own manager who must see nothing of ours.

Each conftest that wants them imports them: ``from tests.centre_fixtures import *``.
"""

from __future__ import annotations

from typing import Any

import pytest

from centres.models import SpaceKind, StaffRole
from tests.bookings.factories import CabinFactory
from tests.centres.factories import CentreFactory, SpaceFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory, UserFactory

__all__ = [
    "cabin",
    "centre",
    "clerk",
    "freelancer",
    "other_centre",
    "other_staff",
    "registration",
    "workstation",
]


@pytest.fixture
def centre(db: Any) -> Any:
    centre = CentreFactory(
        name="Lahore Arfa Tower",
        slug="lahore-arfa",
        max_active_bookings=5,
        checkin_opens_minutes=30,
        checkin_grace_minutes=30,
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
        centre=centre,
        kind=SpaceKind.WORKSTATION,
        label="WS-01",
        rate_hourly_pkr=100,
        rate_daily_pkr=500,
        rate_monthly_pkr=3500,
    )


@pytest.fixture
def clerk(centre: Any) -> Any:
    """The centre's desk clerk."""
    return StaffMembershipFactory(
        centre=centre, role=StaffRole.DESK, user=UserFactory(full_name="Desk Clerk")
    ).user


@pytest.fixture
def other_staff(other_centre: Any) -> Any:
    """Manager of the other centre: must see and touch nothing of ours."""
    return StaffMembershipFactory(centre=other_centre, role=StaffRole.MANAGER, user=UserFactory()).user


@pytest.fixture
def registration(db: Any) -> Any:
    """Submitted (may book by the hour and the day, not monthly), found at the desk by CNIC or mobile."""
    return RegistrationFactory(submitted=True, cnic="35202-1234567-1", mobile="+923001234567")


@pytest.fixture
def freelancer(registration: Any) -> Any:
    return registration.user
