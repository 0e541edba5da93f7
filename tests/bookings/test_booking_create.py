"""booking_create: every centre rule refuses with its own message; a valid booking is priced and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from bookings.models import Booking, BookingEvent, BookingStatus, Product, Source
from bookings.rules import month_window
from bookings.services import booking_create
from centres.hours import local_today
from centres.models import CentreStatus, DurationRule
from erozgar.errors import Conflict, DomainError, NotAllowed
from tests.bookings.factories import BookingFactory, at, tomorrow_at
from tests.centres.factories import ClosureFactory, OpeningHoursFactory, SpaceFactory
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def _refusal(**kwargs: Any) -> DomainError:
    """The refusal booking_create raises; a refused booking leaves no booking and no audit row behind."""
    before = (Booking.objects.count(), BookingEvent.objects.count())
    with pytest.raises(DomainError) as info:
        booking_create(**kwargs)
    assert (Booking.objects.count(), BookingEvent.objects.count()) == before
    return info.value


def test_freelancer_books_a_cabin_for_two_hours_priced_from_the_rate_card(
    cabin: Any, freelancer: Any
) -> None:
    booking = booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.price_pkr == 400
    assert booking.centre == cabin.centre
    assert booking.holds_seat is True
    assert booking.created_by == freelancer
    assert booking.source == Source.ONLINE
    event = BookingEvent.objects.get(booking=booking)
    assert (event.action, event.actor, event.to_status) == ("created", freelancer, "confirmed")


def test_half_hours_are_charged_by_the_half_hour(meeting_room: Any, freelancer: Any) -> None:
    booking = booking_create(
        user=freelancer, space=meeting_room, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11, 30)
    )
    assert booking.price_pkr == 750


def test_booking_costs_a_handful_of_queries(
    cabin: Any, freelancer: Any, django_assert_max_num_queries: Any
) -> None:
    # 13 for the booking, 1 INSERT for its confirmation's outbox row (rendered by the worker).
    with django_assert_max_num_queries(14):
        booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))


def test_anonymous_and_unregistered_people_are_told_to_register(cabin: Any, unregistered: Any) -> None:
    error = _refusal(user=unregistered, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    assert error.code == "registration_required"
    assert "registration" in str(error.message)


@pytest.mark.parametrize("trait", ["rejected", "expired"])
def test_draft_rejected_or_expired_registrations_may_not_book(cabin: Any, trait: str) -> None:
    user = RegistrationFactory(**{trait: True}).user
    assert _refusal(user=user, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)).code == (
        "registration_required"
    )
    draft = RegistrationFactory().user
    assert _refusal(user=draft, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)).code == (
        "registration_required"
    )


def test_the_past_is_refused(cabin: Any, freelancer: Any) -> None:
    yesterday = local_today() - timedelta(days=1)
    error = _refusal(user=freelancer, space=cabin, starts_at=at(yesterday, 10), ends_at=at(yesterday, 12))
    assert error.code == "in_the_past"
    assert "starts_at" in error.fields


def test_beyond_the_booking_horizon_is_refused(cabin: Any, freelancer: Any) -> None:
    far = local_today() + timedelta(days=cabin.centre.booking_horizon_days + 1)
    error = _refusal(user=freelancer, space=cabin, starts_at=at(far, 10), ends_at=at(far, 12))
    assert error.code == "beyond_horizon"
    assert "30 days ahead" in str(error.message)


def test_the_last_day_of_the_horizon_is_allowed(cabin: Any, freelancer: Any) -> None:
    last = local_today() + timedelta(days=cabin.centre.booking_horizon_days)
    assert booking_create(user=freelancer, space=cabin, starts_at=at(last, 10), ends_at=at(last, 12)).pk


def test_a_closure_date_is_refused_with_its_own_message(cabin: Any, freelancer: Any) -> None:
    day = local_today() + timedelta(days=2)
    ClosureFactory(centre=cabin.centre, date=day, reason="Eid")
    error = _refusal(user=freelancer, space=cabin, starts_at=at(day, 10), ends_at=at(day, 12))
    assert error.code == "closed"
    assert "closed on" in str(error.message)


def test_outside_opening_hours_names_the_hours(cabin: Any, freelancer: Any) -> None:
    error = _refusal(user=freelancer, space=cabin, starts_at=tomorrow_at(17), ends_at=tomorrow_at(19))
    assert error.code == "outside_hours"
    assert "09:00-18:00" in str(error.message)


def test_times_off_the_half_hour_grid_are_refused(cabin: Any, freelancer: Any) -> None:
    error = _refusal(user=freelancer, space=cabin, starts_at=tomorrow_at(10, 15), ends_at=tomorrow_at(12, 15))
    assert error.code == "off_grid"


def test_duration_limits_follow_the_centres_rule_for_the_kind(cabin: Any, freelancer: Any) -> None:
    DurationRule.objects.create(centre=cabin.centre, kind="cabin", min_minutes=120, max_minutes=180)
    short = _refusal(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11))
    assert short.code == "too_short" and "120 minutes" in str(short.message)
    long = _refusal(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(14))
    assert long.code == "too_long" and "3 hours" in str(long.message)
    assert booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(13)).pk


def test_a_suspended_centre_and_an_out_of_service_space_take_no_bookings(cabin: Any, freelancer: Any) -> None:
    cabin.in_service = False
    cabin.save()
    assert _refusal(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
    ).code == ("space_out_of_service")
    cabin.in_service = True
    cabin.save()
    cabin.centre.status = CentreStatus.SUSPENDED
    cabin.centre.save()
    assert _refusal(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
    ).code == ("centre_not_bookable")


def test_hostile_times_are_refused_with_field_messages(cabin: Any, freelancer: Any) -> None:
    assert _refusal(
        user=freelancer, space=cabin, starts_at=tomorrow_at(12), ends_at=tomorrow_at(10)
    ).code == ("ends_before_start")
    assert _refusal(
        user=freelancer, space=cabin, starts_at=tomorrow_at(12), ends_at=tomorrow_at(12)
    ).code == ("zero_length")
    naive = tomorrow_at(10).replace(tzinfo=None)
    assert (
        _refusal(user=freelancer, space=cabin, starts_at=naive, ends_at=tomorrow_at(12)).code == "naive_time"
    )
    year = _refusal(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(10) + timedelta(days=365)
    )
    assert year.code == "too_long"


def test_the_active_booking_cap_is_per_person_per_centre(meeting_room: Any, freelancer: Any) -> None:
    centre = meeting_room.centre
    centre.max_active_bookings = 2
    centre.save()
    booking_create(user=freelancer, space=meeting_room, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10))
    booking_create(user=freelancer, space=meeting_room, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11))
    error = _refusal(user=freelancer, space=meeting_room, starts_at=tomorrow_at(11), ends_at=tomorrow_at(12))
    assert error.code == "too_many_bookings"
    assert "2 active bookings" in str(error.message)


def test_one_seat_per_person_at_a_time(cabin: Any, workstation: Any, freelancer: Any) -> None:
    booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    error = _refusal(user=freelancer, space=workstation, starts_at=tomorrow_at(11), ends_at=tomorrow_at(13))
    assert error.code == "one_seat_per_person"
    assert "Cabin A" in str(error.message)
    assert booking_create(
        user=freelancer, space=workstation, starts_at=tomorrow_at(12), ends_at=tomorrow_at(13)
    )


def test_a_taken_space_raises_conflict_with_free_alternatives(
    cabin: Any, other_cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    booking_create(user=other_freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    with pytest.raises(Conflict) as info:
        booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(11), ends_at=tomorrow_at(13))
    alternatives = info.value.extra["alternatives"]
    assert [s["label"] for s in alternatives["spaces"]] == ["Cabin B"]
    starts = [t["starts_at"] for t in alternatives["times"]]
    assert starts == sorted(starts) and len(starts) == 3
    assert tomorrow_at(12).isoformat() in starts
    assert Booking.objects.filter(space=cabin).count() == 1


def test_day_pass_runs_from_opening_to_closing(workstation: Any, freelancer: Any) -> None:
    booking = booking_create(
        user=freelancer,
        space=workstation,
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(18),
        product=Product.DAY_PASS,
    )
    assert booking.price_pkr == 500
    error = _refusal(
        user=freelancer,
        space=workstation,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(18),
        product=Product.DAY_PASS,
    )
    assert error.code in {"day_pass_window", "one_seat_per_person"}


def test_monthly_plan_needs_an_approved_registration(
    workstation: Any, freelancer: Any, approved_freelancer: Any
) -> None:
    month = month_window((local_today().replace(day=1) + timedelta(days=32)).replace(day=1))
    with time_machine.travel(month.start - timedelta(days=10), tick=False):
        error = _refusal(
            user=freelancer,
            space=workstation,
            starts_at=month.start,
            ends_at=month.end,
            product=Product.MONTHLY,
        )
        assert error.code == "monthly_needs_approval"
        booking = booking_create(
            user=approved_freelancer,
            space=workstation,
            starts_at=month.start,
            ends_at=month.end,
            product=Product.MONTHLY,
        )
    assert booking.price_pkr == 3500
    assert booking.starts_at.astimezone(month.start.tzinfo).day == 1


def test_monthly_plans_are_only_for_seats(meeting_room: Any, approved_freelancer: Any) -> None:
    month = month_window((local_today().replace(day=1) + timedelta(days=32)).replace(day=1))
    with time_machine.travel(month.start - timedelta(days=10), tick=False):
        error = _refusal(
            user=approved_freelancer,
            space=meeting_room,
            starts_at=month.start,
            ends_at=month.end,
            product=Product.MONTHLY,
        )
    assert error.code == "monthly_not_offered"


def test_a_space_without_an_hourly_rate_is_not_sold_by_the_hour(centre: Any, freelancer: Any) -> None:
    desk_only = SpaceFactory(centre=centre, label="WS-99", rate_hourly_pkr=None)
    assert _refusal(
        user=freelancer, space=desk_only, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
    ).code == ("no_rate")


def test_late_shift_past_midnight_karachi_is_bookable_and_a_closure_cancels_it(
    cabin: Any, freelancer: Any
) -> None:
    """A 20:00-02:00 shift: 23:30-01:30 crosses midnight local time (18:30-20:30 UTC)."""
    centre = cabin.centre
    day = local_today() + timedelta(days=3)
    centre.opening_hours.filter(weekday=day.weekday()).delete()
    OpeningHoursFactory(
        centre=centre, weekday=day.weekday(), opens_at=at(day, 20).time(), closes_at=at(day, 2).time()
    )
    booking = booking_create(
        user=freelancer, space=cabin, starts_at=at(day, 23, 30), ends_at=at(day + timedelta(days=1), 1, 30)
    )
    assert booking.starts_at.utcoffset() is not None
    assert booking.starts_at.astimezone(at(day, 0).tzinfo).date() == day
    ClosureFactory(centre=centre, date=day)
    error = _refusal(
        user=freelancer,
        space=cabin,
        starts_at=at(day + timedelta(days=1), 0, 30),
        ends_at=at(day + timedelta(days=1), 1, 30),
    )
    assert error.code in {"outside_hours", "closed"}


def test_just_after_midnight_karachi_is_tomorrow_not_today(cabin: Any, freelancer: Any) -> None:
    """At 00:10 in Karachi (19:10 UTC the day before) the horizon and 'past' use the Karachi date."""
    day = local_today() + timedelta(days=1)
    with time_machine.travel(at(day, 0, 10), tick=False):
        booking = booking_create(user=freelancer, space=cabin, starts_at=at(day, 9), ends_at=at(day, 10))
        assert booking.pk
        error = _refusal(
            user=freelancer,
            space=cabin,
            starts_at=at(day - timedelta(days=1), 17),
            ends_at=at(day - timedelta(days=1), 18),
        )
        assert error.code == "in_the_past"


def test_desk_bookings_record_who_made_them(cabin: Any, freelancer: Any, clerk: Any) -> None:
    booking = booking_create(
        user=freelancer,
        space=cabin,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(12),
        created_by=clerk,
        source=Source.DESK,
    )
    assert (booking.user, booking.created_by, booking.source) == (freelancer, clerk, "desk")
    assert booking.events.get().actor == clerk


def test_overlapping_existing_booking_through_factory_still_conflicts(
    cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=other_freelancer, starts_at=tomorrow_at(9), ends_at=tomorrow_at(18))
    with pytest.raises(Conflict):
        booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))


def test_desk_staff_may_book_for_an_unregistered_walk_in(cabin: Any, unregistered: Any, clerk: Any) -> None:
    booking = booking_create(
        user=unregistered,
        space=cabin,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(12),
        created_by=clerk,
        source=Source.DESK,
    )
    assert booking.created_by == clerk


def test_staff_of_another_centre_cannot_book_walk_ins_here(
    cabin: Any, unregistered: Any, other_staff: Any
) -> None:
    error = _refusal(
        user=unregistered,
        space=cabin,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(12),
        created_by=other_staff,
        source=Source.DESK,
    )
    assert error.code == "registration_required"


def test_a_deleted_space_is_refused_not_a_crash(cabin: Any, freelancer: Any) -> None:
    from centres.models import Space

    ghost = Space(pk=987654321, centre=cabin.centre, kind="cabin", label="Ghost")
    assert _refusal(
        user=freelancer, space=ghost, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
    ).code == ("no_such_space")


def _ten_to_twelve(person: Any, cabin: Any, **extra: Any) -> dict[str, Any]:
    """Tomorrow 10:00-12:00 (called before the clock is moved to tomorrow)."""
    return {"user": person, "space": cabin, "starts_at": tomorrow_at(10), "ends_at": tomorrow_at(12), **extra}


def test_the_desk_books_from_now_a_slot_that_has_begun_and_the_person_is_checked_in(
    cabin: Any, freelancer: Any, clerk: Any
) -> None:
    walk_in = _ten_to_twelve(freelancer, cabin, created_by=clerk, source=Source.DESK, from_now=True)
    with time_machine.travel(tomorrow_at(10, 12), tick=False):
        booking = booking_create(**walk_in)
    assert (booking.status, booking.checked_in_at) == (BookingStatus.CHECKED_IN, tomorrow_at(10, 12))
    assert list(booking.events.order_by("id").values_list("action", "actor")) == [
        ("created", clerk.pk),
        ("checked_in", clerk.pk),
    ]


def test_without_from_now_the_desk_cannot_book_a_slot_that_has_begun(
    cabin: Any, freelancer: Any, clerk: Any
) -> None:
    begun = _ten_to_twelve(freelancer, cabin, created_by=clerk, source=Source.DESK)
    with time_machine.travel(tomorrow_at(10, 12), tick=False):
        error = _refusal(**begun)
    assert error.code == "in_the_past"


def test_from_now_is_for_the_centres_own_desk_only(cabin: Any, freelancer: Any, other_staff: Any) -> None:
    attempts = [
        _ten_to_twelve(freelancer, cabin, created_by=who, source=source, from_now=True)
        for who, source in ((freelancer, Source.ONLINE), (other_staff, Source.DESK))
    ]
    with time_machine.travel(tomorrow_at(10, 12), tick=False):
        assert all(isinstance(_refusal(**attempt), NotAllowed) for attempt in attempts)


def test_from_now_does_not_reach_a_booking_that_has_ended(cabin: Any, freelancer: Any, clerk: Any) -> None:
    ended = _ten_to_twelve(freelancer, cabin, created_by=clerk, source=Source.DESK, from_now=True)
    with time_machine.travel(tomorrow_at(12, 5), tick=False):
        error = _refusal(**ended)
    assert error.code == "in_the_past"
