"""Named actors for the directory tests: a manager of centre A, a manager of centre B, a freelancer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from centres.models import StaffRole

from .factories import CentreFactory, StaffMembershipFactory


@pytest.fixture
def centre_a(db: Any) -> Any:
    return CentreFactory(name="Centre A", slug="centre-a", city="Lahore")


@pytest.fixture
def centre_b(db: Any) -> Any:
    return CentreFactory(name="Centre B", slug="centre-b", city="Karachi", province="sindh")


@pytest.fixture
def manager_a(make_user: Callable[..., Any], centre_a: Any) -> Any:
    user = make_user("manager.a@example.pk", full_name="Manager A")
    StaffMembershipFactory(user=user, centre=centre_a, role=StaffRole.MANAGER)
    return user


@pytest.fixture
def desk_a(make_user: Callable[..., Any], centre_a: Any) -> Any:
    user = make_user("desk.a@example.pk", full_name="Desk A")
    StaffMembershipFactory(user=user, centre=centre_a, role=StaffRole.DESK)
    return user


@pytest.fixture
def freelancer(make_user: Callable[..., Any]) -> Any:
    return make_user("freelancer@example.pk", full_name="Sana Khan")
