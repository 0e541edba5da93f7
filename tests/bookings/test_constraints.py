"""The database refuses double bookings and broken rows, checked through full_clean() and the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookings.models import REFERENCE_ALPHABET, Booking, BookingStatus, new_reference
from tests.bookings.factories import BookingFactory, tomorrow_at

pytestmark = pytest.mark.django_db


def _unsaved(**kwargs: Any) -> Booking:
    return BookingFactory.build(**kwargs)


def test_database_refuses_overlapping_bookings_of_one_space(
    cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    with pytest.raises(IntegrityError, match="booking_no_overlap_per_space"), transaction.atomic():
        BookingFactory(space=cabin, user=other_freelancer, starts_at=tomorrow_at(11), ends_at=tomorrow_at(13))


def test_full_clean_reports_overlap_on_one_space(cabin: Any, freelancer: Any, other_freelancer: Any) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    clash = _unsaved(
        space=cabin,
        centre=cabin.centre,
        user=other_freelancer,
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(10, 30),
    )
    with pytest.raises(ValidationError, match="already booked"):
        clash.full_clean()


def test_back_to_back_bookings_do_not_overlap(cabin: Any, freelancer: Any, other_freelancer: Any) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    after = BookingFactory(
        space=cabin, user=other_freelancer, starts_at=tomorrow_at(12), ends_at=tomorrow_at(13)
    )
    after.full_clean()


@pytest.mark.parametrize("status", [BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.COMPLETED])
def test_released_bookings_free_the_space(
    cabin: Any, freelancer: Any, other_freelancer: Any, status: str
) -> None:
    extra: dict[str, Any] = {"status": status}
    if status == BookingStatus.CANCELLED:
        extra["cancelled_at"] = tomorrow_at(8)
    if status == BookingStatus.COMPLETED:
        extra["checked_in_at"] = tomorrow_at(10)
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), **extra)
    BookingFactory(space=cabin, user=other_freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    assert Booking.objects.filter(space=cabin).count() == 2


def test_database_refuses_two_overlapping_seats_for_one_person(
    cabin: Any, other_cabin: Any, freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    with pytest.raises(IntegrityError, match="booking_one_seat_per_person"), transaction.atomic():
        BookingFactory(space=other_cabin, user=freelancer, starts_at=tomorrow_at(11), ends_at=tomorrow_at(12))
    clash = _unsaved(
        space=other_cabin,
        centre=other_cabin.centre,
        user=freelancer,
        starts_at=tomorrow_at(11),
        ends_at=tomorrow_at(12),
    )
    with pytest.raises(ValidationError, match="already holds a seat"):
        clash.full_clean()


def test_a_person_may_hold_a_seat_and_a_meeting_room_at_once(
    cabin: Any, meeting_room: Any, freelancer: Any
) -> None:
    BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    BookingFactory(space=meeting_room, user=freelancer, starts_at=tomorrow_at(10), ends_at=tomorrow_at(11))


def test_database_refuses_a_booking_ending_before_it_starts(cabin: Any, freelancer: Any) -> None:
    with pytest.raises(IntegrityError, match="booking_ends_after_start"), transaction.atomic():
        BookingFactory(space=cabin, user=freelancer, starts_at=tomorrow_at(12), ends_at=tomorrow_at(12))
    bad = _unsaved(
        space=cabin, centre=cabin.centre, user=freelancer, starts_at=tomorrow_at(12), ends_at=tomorrow_at(11)
    )
    with pytest.raises(ValidationError, match="must end after it starts"):
        bad.full_clean()


def test_database_refuses_a_negative_price_and_an_unknown_status(cabin: Any, freelancer: Any) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    with pytest.raises(IntegrityError, match="booking_price_nonneg"), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(price_pkr=-1)
    with pytest.raises(IntegrityError, match="booking_status_valid"), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(status="lost")


def test_a_cancelled_booking_records_when(cabin: Any, freelancer: Any) -> None:
    booking = BookingFactory(space=cabin, user=freelancer)
    with pytest.raises(IntegrityError, match="booking_cancelled_has_time"), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)


def test_references_are_eight_unambiguous_characters_and_unique(cabin: Any, freelancer: Any) -> None:
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    assert all(len(r) == 8 and set(r) <= set(REFERENCE_ALPHABET) for r in references)
    assert not set("01OIL") & set(REFERENCE_ALPHABET)
    first = BookingFactory(space=cabin, user=freelancer)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            space=cabin,
            user=freelancer,
            reference=first.reference,
            starts_at=first.starts_at + timedelta(days=1),
            ends_at=first.ends_at + timedelta(days=1),
        )


def test_database_refuses_a_booking_longer_than_a_month(cabin: Any, freelancer: Any) -> None:
    with pytest.raises(IntegrityError, match="booking_at_most_a_month"), transaction.atomic():
        BookingFactory(
            space=cabin,
            user=freelancer,
            starts_at=tomorrow_at(10),
            ends_at=tomorrow_at(10) + timedelta(days=365),
        )
    long = _unsaved(
        space=cabin,
        centre=cabin.centre,
        user=freelancer,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(10) + timedelta(days=40),
    )
    with pytest.raises(ValidationError, match="longer than a month"):
        long.full_clean()
