"""Desk tests: the shared centre and its people (tests/centre_fixtures.py), its manager, today's
booking, and a fixed moment (Tuesday 1 December 2026, 10:00 in Karachi)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from bookings.models import Booking
from centres.models import StaffRole
from tests.centre_fixtures import *  # noqa: F403
from tests.centres.factories import StaffMembershipFactory
from tests.desk.helpers import NOW, make_booking, today_at
from tests.freelancers.factories import UserFactory


@pytest.fixture
def frozen() -> Iterator[Any]:
    """The clock stands still at NOW (move it with ``frozen.move_to``)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager(centre: Any) -> Any:
    return StaffMembershipFactory(
        centre=centre, role=StaffRole.MANAGER, user=UserFactory(full_name="Manager")
    ).user


@pytest.fixture
def booking(cabin: Any, freelancer: Any) -> Booking:
    """Cabin A, today 10:00-12:00, confirmed."""
    return make_booking(cabin, freelancer, today_at(10), today_at(12))
