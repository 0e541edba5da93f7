"""occupancy_compute: bookable and booked minutes per centre, local hour and kind of space."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import BookingStatus, OccupancyHour
from bookings.occupancy.services import occupancy_compute
from centres.models import CentreStatus, OpeningHours, SpaceKind
from tests.bookings.factories import BookingFactory, CabinFactory, MeetingRoomFactory, at
from tests.centres.factories import CentreFactory, ClosureFactory, SpaceFactory, weekdays_open

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 2)  # a Wednesday


def hours_of(centre: Any, kind: str = SpaceKind.CABIN, day: date = DAY) -> dict[int, tuple[int, int, int]]:
    rows = OccupancyHour.objects.filter(centre=centre, day=day, kind=kind)
    return {r.hour: (r.bookable_minutes, r.booked_minutes, r.checked_in_minutes) for r in rows}


def late_shift_centre() -> Any:
    centre = CentreFactory(name="Karachi Night Shift")
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre=centre, weekday=d, opens_at=time(18), closes_at=time(2)) for d in range(7)]
    )
    return centre


def test_two_cabins_and_a_two_hour_booking_fill_half_of_hours_10_and_11(centre: Any) -> None:
    cabin_a, _cabin_b = CabinFactory(centre=centre), CabinFactory(centre=centre)
    BookingFactory(space=cabin_a, starts_at=at(DAY, 10), ends_at=at(DAY, 12))

    occupancy_compute(day=DAY)

    hours = hours_of(centre)
    assert sorted(hours) == list(range(9, 18))  # open 09:00-18:00, nothing written for closed hours
    assert hours[10] == (120, 60, 0)
    assert hours[11] == (120, 60, 0)
    assert hours[9] == (120, 0, 0)
    assert hours[12] == (120, 0, 0)


def test_a_closure_leaves_nothing_bookable_that_day(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    ClosureFactory(centre=centre, date=DAY)
    BookingFactory(space=cabin, starts_at=at(DAY, 10), ends_at=at(DAY, 12))

    occupancy_compute(day=DAY)

    assert hours_of(centre) == {}
    occupancy_compute(day=DAY + timedelta(days=1))
    assert len(hours_of(centre, day=DAY + timedelta(days=1))) == 9


def test_a_late_shift_counts_in_the_hours_after_midnight_of_the_next_day() -> None:
    centre = late_shift_centre()
    cabin = CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(DAY - timedelta(days=1), 23), ends_at=at(DAY, 1, 30))

    occupancy_compute(day=DAY)

    hours = hours_of(centre)
    assert sorted(hours) == [0, 1, 18, 19, 20, 21, 22, 23]
    assert hours[0] == (60, 60, 0)
    assert hours[1] == (60, 30, 0)
    assert hours[23] == (60, 0, 0)


def test_a_closure_the_day_before_cancels_the_late_shift_running_into_the_day() -> None:
    centre = late_shift_centre()
    CabinFactory(centre=centre)
    ClosureFactory(centre=centre, date=DAY - timedelta(days=1))

    occupancy_compute(day=DAY)

    assert sorted(hours_of(centre)) == [18, 19, 20, 21, 22, 23]


def test_cancelled_and_no_show_bookings_do_not_count(centre: Any) -> None:
    cabin, other = CabinFactory(centre=centre), CabinFactory(centre=centre)
    BookingFactory(
        space=cabin,
        starts_at=at(DAY, 10),
        ends_at=at(DAY, 12),
        status=BookingStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    BookingFactory(space=other, starts_at=at(DAY, 10), ends_at=at(DAY, 12), status=BookingStatus.NO_SHOW)

    occupancy_compute(day=DAY)

    assert all(booked == 0 for _bookable, booked, _in in hours_of(centre).values())


def test_checked_in_and_completed_bookings_count_as_checked_in_time(centre: Any) -> None:
    cabin, other, third = (CabinFactory(centre=centre) for _ in range(3))
    BookingFactory(
        space=cabin,
        starts_at=at(DAY, 10),
        ends_at=at(DAY, 11),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=at(DAY, 10),
    )
    BookingFactory(
        space=other,
        starts_at=at(DAY, 10),
        ends_at=at(DAY, 10, 30),
        status=BookingStatus.COMPLETED,
        checked_in_at=at(DAY, 10),
    )
    BookingFactory(space=third, starts_at=at(DAY, 10), ends_at=at(DAY, 11))  # confirmed, not here yet

    occupancy_compute(day=DAY)

    assert hours_of(centre)[10] == (180, 150, 90)


def test_time_booked_outside_opening_hours_is_not_counted(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(DAY, 8), ends_at=at(DAY, 10))

    occupancy_compute(day=DAY)

    hours = hours_of(centre)
    assert 8 not in hours
    assert hours[9] == (60, 60, 0)


def test_bookings_of_a_space_taken_out_of_service_are_clamped_to_the_bookable_time(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    retired = CabinFactory(centre=centre, in_service=False)
    BookingFactory(space=cabin, starts_at=at(DAY, 10), ends_at=at(DAY, 11))
    BookingFactory(space=retired, starts_at=at(DAY, 10), ends_at=at(DAY, 11))

    occupancy_compute(day=DAY)

    assert hours_of(centre)[10] == (60, 60, 0)


def test_each_kind_of_space_has_its_own_rows(centre: Any) -> None:
    CabinFactory(centre=centre)
    room = MeetingRoomFactory(centre=centre)
    SpaceFactory(centre=centre)  # a workstation
    BookingFactory(space=room, starts_at=at(DAY, 14), ends_at=at(DAY, 15), holds_seat=False)

    occupancy_compute(day=DAY)

    assert hours_of(centre, SpaceKind.MEETING_ROOM)[14] == (60, 60, 0)
    assert hours_of(centre, SpaceKind.CABIN)[14] == (60, 0, 0)
    assert hours_of(centre, SpaceKind.WORKSTATION)[14] == (60, 0, 0)


def test_a_monthly_plan_counts_only_the_open_hours_of_the_day(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    BookingFactory(
        space=cabin,
        starts_at=at(DAY - timedelta(days=10), 9),
        ends_at=at(DAY + timedelta(days=20), 18),
        product="monthly",
    )

    occupancy_compute(day=DAY)

    assert set(hours_of(centre).values()) == {(60, 60, 0)}


def test_planned_and_suspended_centres_are_left_out(centre: Any) -> None:
    for status in (CentreStatus.PLANNED, CentreStatus.SUSPENDED):
        other = CentreFactory(status=status)
        weekdays_open(other)
        CabinFactory(centre=other)

    occupancy_compute(day=DAY)

    assert set(OccupancyHour.objects.values_list("centre_id", flat=True)) == set()


def test_running_twice_leaves_the_same_rows(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(DAY, 10), ends_at=at(DAY, 12))
    fields = (
        "id",
        "centre_id",
        "day",
        "hour",
        "kind",
        "bookable_minutes",
        "booked_minutes",
        "checked_in_minutes",
    )

    first_count = occupancy_compute(day=DAY)
    first = list(OccupancyHour.objects.order_by("id").values_list(*fields))
    second_count = occupancy_compute(day=DAY)
    second = list(OccupancyHour.objects.order_by("id").values_list(*fields))

    assert first_count == second_count == 9
    assert first == second


def test_a_recompute_removes_rows_of_a_kind_no_longer_in_service(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    SpaceFactory(centre=centre)
    occupancy_compute(day=DAY)
    cabin.in_service = False
    cabin.save(update_fields=["in_service"])

    occupancy_compute(day=DAY)

    assert hours_of(centre) == {}
    assert len(hours_of(centre, SpaceKind.WORKSTATION)) == 9


def test_a_recompute_sees_a_cancellation(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    booking = BookingFactory(space=cabin, starts_at=at(DAY, 10), ends_at=at(DAY, 12))
    occupancy_compute(day=DAY)
    assert hours_of(centre)[10] == (60, 60, 0)

    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    occupancy_compute(day=DAY)

    assert hours_of(centre)[10] == (60, 0, 0)


def _centres_with_bookings(n: int) -> None:
    for i in range(n):
        centre = CentreFactory()
        weekdays_open(centre)
        ClosureFactory(centre=centre, date=DAY + timedelta(days=3))
        space = CabinFactory(centre=centre)
        MeetingRoomFactory(centre=centre)
        BookingFactory(space=space, starts_at=at(DAY, 9 + i % 8), ends_at=at(DAY, 10 + i % 8))


def test_the_query_count_is_the_same_for_2_and_30_centres() -> None:
    _centres_with_bookings(2)
    with CaptureQueriesContext(connection) as few:
        occupancy_compute(day=DAY)
    _centres_with_bookings(28)
    with CaptureQueriesContext(connection) as many:
        written = occupancy_compute(day=DAY)

    assert written == 30 * 2 * 9
    assert len(few.captured_queries) == len(many.captured_queries)
    # lock, centres, hours, closures, space counts, bookings, upsert, delete (+ the test's savepoint pair)
    assert len(many.captured_queries) == 10, [q["sql"][:60] for q in many.captured_queries]


def test_the_database_refuses_more_booked_than_bookable_minutes(centre: Any) -> None:
    row = OccupancyHour(
        centre=centre,
        day=DAY,
        hour=10,
        kind=SpaceKind.CABIN,
        bookable_minutes=60,
        booked_minutes=61,
        checked_in_minutes=0,
        computed_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="Booked minutes cannot exceed bookable minutes"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_database_refuses_more_checked_in_than_booked_minutes_and_bad_hours(centre: Any) -> None:
    row = OccupancyHour(
        centre=centre,
        day=DAY,
        hour=10,
        kind=SpaceKind.CABIN,
        bookable_minutes=60,
        booked_minutes=30,
        checked_in_minutes=45,
        computed_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="Checked-in minutes cannot exceed booked minutes"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    row.checked_in_minutes, row.hour = 0, 24
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_database_keeps_one_row_per_centre_day_hour_and_kind(centre: Any) -> None:
    values = {
        "centre": centre,
        "day": DAY,
        "hour": 10,
        "kind": SpaceKind.CABIN,
        "computed_at": timezone.now(),
    }
    OccupancyHour.objects.create(**values)
    with pytest.raises(ValidationError):
        OccupancyHour(**values).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        OccupancyHour.objects.create(**values)
