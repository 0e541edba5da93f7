"""Directory services: only a centre's manager may change it, and every bad input is explained."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from centres import services
from centres.models import SpaceKind, StaffRole
from centres.services import HoursInput
from erozgar.errors import Conflict, DomainError, NotAllowed

from .factories import SpaceFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

NEXT_WEEK = date.today() + timedelta(days=7)  # noqa: DTZ011 - any future date will do


def calls(centre, space):
    return [
        lambda actor: services.centre_set_hours(actor=actor, centre=centre, rows=[]),
        lambda actor: services.closure_add(actor=actor, centre=centre, day=NEXT_WEEK),
        lambda actor: services.space_create(
            actor=actor, centre=centre, kind="cabin", label="X", rate_hourly_pkr=1
        ),
        lambda actor: services.space_update(actor=actor, space=space, rate_daily_pkr=1),
        lambda actor: services.spaces_set_rates(
            actor=actor,
            centre=centre,
            kind="workstation",
            rate_hourly_pkr=None,
            rate_daily_pkr=1,
            rate_monthly_pkr=None,
        ),
    ]


def test_every_write_refuses_anyone_but_a_manager_of_that_centre(
    make_user, centre_a, centre_b, manager_a, desk_a
):
    from django.contrib.auth.models import AnonymousUser

    space = SpaceFactory(centre=centre_b)
    admin_without_membership = make_user(is_staff=True, is_superuser=True)
    for actor in (manager_a, desk_a, admin_without_membership, AnonymousUser()):
        for call in calls(centre_b, space):
            with pytest.raises(NotAllowed):
                call(actor)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HoursInput(0, time(9), time(9))], "Monday: opening and closing times cannot be the same."),
        ([HoursInput(0, time(9), time(14)), HoursInput(0, time(13), time(18))], "overlaps"),
        # A late Monday shift running into Tuesday morning collides with Tuesday's early shift.
        ([HoursInput(0, time(20), time(8)), HoursInput(1, time(7), time(12))], "overlaps"),
        ([HoursInput(7, time(9), time(17))], "Weekday must be between 0 (Monday) and 6 (Sunday)."),
    ],
)
def test_bad_hours_are_explained(rows, message):
    with pytest.raises(DomainError) as exc:
        services.validate_hours(rows)
    assert message in str(exc.value.message)


def test_back_to_back_shifts_and_a_late_shift_are_fine():
    services.validate_hours(
        [
            HoursInput(0, time(9), time(13)),
            HoursInput(0, time(13), time(17)),
            HoursInput(0, time(20), time(2)),
            HoursInput(1, time(2), time(9)),
        ]
    )


def test_a_space_keeps_its_kind(manager_a, centre_a):
    space = SpaceFactory(centre=centre_a, kind=SpaceKind.WORKSTATION)

    with pytest.raises(DomainError, match="cannot change"):
        services.space_update(actor=manager_a, space=space, kind=SpaceKind.CABIN)


def test_a_workstation_seats_one_person(manager_a, centre_a):
    with pytest.raises(DomainError) as exc:
        services.space_create(
            actor=manager_a,
            centre=centre_a,
            kind=SpaceKind.WORKSTATION,
            label="WS-9",
            capacity=4,
            rate_daily_pkr=250,
        )
    assert exc.value.fields["capacity"] == ["A workstation or cabin seats one person."]


def test_prices_above_ten_million_rupees_are_refused(manager_a, centre_a):
    with pytest.raises(DomainError) as exc:
        services.space_create(
            actor=manager_a, centre=centre_a, kind=SpaceKind.CABIN, label="CAB-9", rate_monthly_pkr=10_000_001
        )
    assert "rate_monthly_pkr" in exc.value.fields


def test_the_same_closure_twice_is_a_conflict(manager_a, centre_a):
    services.closure_add(actor=manager_a, centre=centre_a, day=NEXT_WEEK, reason="Eid")

    with pytest.raises(Conflict):
        services.closure_add(actor=manager_a, centre=centre_a, day=NEXT_WEEK)


def test_a_promoted_desk_member_becomes_a_manager(make_user, centre_a):
    user = make_user()
    StaffMembershipFactory(user=user, centre=centre_a, role=StaffRole.DESK)

    services.staff_assign(centre=centre_a, user=user, role=StaffRole.MANAGER)

    services.closure_add(actor=user, centre=centre_a, day=NEXT_WEEK)
