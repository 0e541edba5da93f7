"""Booking tests: the shared centre and its people (tests/centre_fixtures.py), and a few more."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bookings.factories import CabinFactory, MeetingRoomFactory
from tests.centre_fixtures import *  # noqa: F403
from tests.freelancers.factories import RegistrationFactory, UserFactory


@pytest.fixture
def other_cabin(centre: Any) -> Any:
    return CabinFactory(centre=centre, label="Cabin B")


@pytest.fixture
def meeting_room(centre: Any) -> Any:
    return MeetingRoomFactory(centre=centre, label="Meeting room Indus")


@pytest.fixture
def approved_freelancer(db: Any) -> Any:
    return RegistrationFactory(approved=True).user


@pytest.fixture
def other_freelancer(db: Any) -> Any:
    return RegistrationFactory(submitted=True).user


@pytest.fixture
def unregistered(db: Any) -> Any:
    return UserFactory()
