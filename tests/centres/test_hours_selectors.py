"""Opening hours as the bookings app sees them: split shifts, late shifts past midnight, closures."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from centres import selectors
from centres.hours import LOCAL_TZ
from centres.models import DEFAULT_DURATION_MINUTES, DurationRule, SpaceKind, StaffRole

from .factories import CentreFactory, ClosureFactory, OpeningHoursFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL_TZ)


def test_split_shift_gives_two_intervals_and_a_gap_between():
    centre = CentreFactory()
    OpeningHoursFactory(centre=centre, weekday=0, opens_at=time(9), closes_at=time(13))
    OpeningHoursFactory(centre=centre, weekday=0, opens_at=time(14), closes_at=time(20))

    intervals = selectors.opening_intervals(centre, MONDAY)

    assert [(i.start, i.end) for i in intervals] == [
        (at(MONDAY, 9), at(MONDAY, 13)),
        (at(MONDAY, 14), at(MONDAY, 20)),
    ]
    assert selectors.covering_interval(centre, at(MONDAY, 10), at(MONDAY, 12)) == intervals[0]
    assert selectors.covering_interval(centre, at(MONDAY, 12), at(MONDAY, 15)) is None
    assert not selectors.is_open_at(centre, at(MONDAY, 13, 30))
    assert selectors.is_open_at(centre, at(MONDAY, 14))


def test_late_shift_runs_past_midnight_into_the_next_day():
    centre = CentreFactory()
    OpeningHoursFactory(centre=centre, weekday=0, opens_at=time(18), closes_at=time(2))

    (interval,) = selectors.opening_intervals(centre, MONDAY)

    assert interval.end == at(TUESDAY, 2)
    assert selectors.covering_interval(centre, at(MONDAY, 23), at(TUESDAY, 1, 30)) == interval
    assert selectors.covering_interval(centre, at(TUESDAY, 0, 30), at(TUESDAY, 1)) == interval
    assert selectors.covering_interval(centre, at(TUESDAY, 1), at(TUESDAY, 3)) is None
    assert selectors.is_open_at(centre, at(TUESDAY, 1))
    assert selectors.opening_intervals(centre, TUESDAY) == []


def test_a_closure_hides_that_date_only():
    centre = CentreFactory()
    for weekday in (0, 1):
        OpeningHoursFactory(centre=centre, weekday=weekday, opens_at=time(9), closes_at=time(17))
    ClosureFactory(centre=centre, date=MONDAY, reason="Eid ul-Fitr")

    assert selectors.opening_intervals(centre, MONDAY) == []
    assert selectors.covering_interval(centre, at(MONDAY, 10), at(MONDAY, 11)) is None
    assert not selectors.is_open_at(centre, at(MONDAY, 10))
    assert len(selectors.opening_intervals(centre, TUESDAY)) == 1


def test_a_closure_the_day_before_also_cancels_that_nights_late_shift():
    centre = CentreFactory()
    OpeningHoursFactory(centre=centre, weekday=0, opens_at=time(18), closes_at=time(2))
    ClosureFactory(centre=centre, date=MONDAY)

    assert selectors.covering_interval(centre, at(TUESDAY, 0, 30), at(TUESDAY, 1)) is None


def test_duration_limits_use_the_centre_rule_or_the_default():
    centre = CentreFactory()
    DurationRule.objects.create(centre=centre, kind=SpaceKind.MEETING_ROOM, min_minutes=30, max_minutes=120)

    assert selectors.duration_limits(centre, SpaceKind.MEETING_ROOM) == (30, 120)
    assert (
        selectors.duration_limits(centre, SpaceKind.WORKSTATION)
        == DEFAULT_DURATION_MINUTES[SpaceKind.WORKSTATION]
    )


def test_is_staff_of_checks_the_membership_and_role(make_user):
    centre, other = CentreFactory(), CentreFactory()
    manager, desk, outsider = make_user(), make_user(), make_user(is_staff=True)
    StaffMembershipFactory(user=manager, centre=centre, role=StaffRole.MANAGER)
    StaffMembershipFactory(user=desk, centre=centre, role=StaffRole.DESK)

    assert selectors.is_staff_of(manager, centre)
    assert selectors.is_staff_of(desk, centre)
    assert not selectors.is_staff_of(desk, centre, roles=[StaffRole.MANAGER])
    assert not selectors.is_staff_of(manager, other)
    assert not selectors.is_staff_of(outsider, centre)
    assert selectors.staff_role(manager, centre) == "manager"
    assert list(selectors.centres_managed_by(manager)) == [centre]
    assert list(selectors.centres_managed_by(desk)) == []
