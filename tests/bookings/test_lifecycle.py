"""The lifecycle: every allowed transition, every refused one, each audited with who, when and why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from bookings.models import BookingEvent, BookingStatus
from bookings.services import (
    TRANSITIONS,
    booking_cancel,
    booking_check_in,
    booking_check_out,
    booking_complete,
    booking_mark_no_show,
)
from erozgar.errors import DomainError, InvalidTransition, NotAllowed
from tests.bookings.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(cabin: Any, freelancer: Any) -> Any:
    return BookingFactory(space=cabin, user=freelancer)


def _last_event(booking: Any) -> BookingEvent:
    return BookingEvent.objects.filter(booking=booking).latest("id")


def test_the_transition_table_is_the_documented_one() -> None:
    assert {
        "confirmed": {"checked_in", "cancelled", "no_show"},
        "checked_in": {"completed"},
        "completed": set(),
        "cancelled": set(),
        "no_show": set(),
    } == TRANSITIONS


def test_owner_cancels_before_the_cutoff_and_it_is_audited(booking: Any, freelancer: Any) -> None:
    booking_cancel(booking=booking, actor=freelancer, reason="Exam that day")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at is not None
    event = _last_event(booking)
    assert (event.actor, event.action, event.from_status, event.to_status, event.reason) == (
        freelancer,
        "cancelled",
        "confirmed",
        "cancelled",
        "Exam that day",
    )


def test_owner_cannot_cancel_after_the_cutoff(booking: Any, freelancer: Any) -> None:
    with time_machine.travel(booking.starts_at - timedelta(minutes=59)), pytest.raises(DomainError) as info:
        booking_cancel(booking=booking, actor=freelancer)
    assert info.value.code == "past_cutoff"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not BookingEvent.objects.filter(booking=booking).exists()


def test_staff_cancel_any_time_but_must_give_a_reason(booking: Any, clerk: Any) -> None:
    with time_machine.travel(booking.starts_at - timedelta(minutes=5)):
        with pytest.raises(DomainError) as info:
            booking_cancel(booking=booking, actor=clerk)
        assert info.value.code == "reason_required"
        booking_cancel(booking=booking, actor=clerk, reason="Power outage in the building")
    assert _last_event(booking).actor == clerk


def test_another_freelancer_cannot_cancel(booking: Any, other_freelancer: Any) -> None:
    with pytest.raises(NotAllowed):
        booking_cancel(booking=booking, actor=other_freelancer, reason="mine now")


def test_staff_of_another_centre_cannot_cancel_or_check_in(booking: Any, other_staff: Any) -> None:
    with pytest.raises(NotAllowed):
        booking_cancel(booking=booking, actor=other_staff, reason="x")
    with time_machine.travel(booking.starts_at), pytest.raises(NotAllowed):
        booking_check_in(booking=booking, actor=other_staff)


def test_desk_checks_in_from_the_moment_the_window_opens(booking: Any, clerk: Any) -> None:
    with time_machine.travel(booking.starts_at - timedelta(minutes=31)), pytest.raises(DomainError) as info:
        booking_check_in(booking=booking, actor=clerk)
    assert info.value.code == "too_early"
    with time_machine.travel(booking.starts_at - timedelta(minutes=30)):
        booking_check_in(booking=booking, actor=clerk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.checked_in_at is not None
    assert _last_event(booking).action == "checked_in"


def test_check_in_closes_when_the_grace_period_ends_not_when_the_booking_does(
    booking: Any, clerk: Any
) -> None:
    grace_over = booking.starts_at + timedelta(minutes=30)
    assert grace_over < booking.ends_at
    with time_machine.travel(grace_over), pytest.raises(DomainError) as info:
        booking_check_in(booking=booking, actor=clerk)
    assert info.value.code == "too_late"
    assert "30 minutes after the start" in str(info.value.message)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_check_out_completes_a_checked_in_booking(booking: Any, clerk: Any) -> None:
    with time_machine.travel(booking.starts_at):
        booking_check_in(booking=booking, actor=clerk)
    with time_machine.travel(booking.starts_at + timedelta(minutes=90)):
        booking_check_out(booking=booking, actor=clerk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.checked_out_at == booking.starts_at + timedelta(minutes=90)


def test_the_system_completes_a_checked_in_booking_only_after_it_ends(booking: Any, clerk: Any) -> None:
    with time_machine.travel(booking.starts_at):
        booking_check_in(booking=booking, actor=clerk)
        with pytest.raises(DomainError):
            booking_complete(booking=booking)
    with time_machine.travel(booking.ends_at + timedelta(minutes=1)):
        booking_complete(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.checked_out_at == booking.ends_at
    assert _last_event(booking).actor is None


def test_no_show_only_after_the_grace_period(booking: Any) -> None:
    with time_machine.travel(booking.starts_at + timedelta(minutes=29)), pytest.raises(DomainError) as info:
        booking_mark_no_show(booking=booking)
    assert info.value.code == "in_grace"
    with time_machine.travel(booking.starts_at + timedelta(minutes=30)):
        booking_mark_no_show(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    event = _last_event(booking)
    assert (event.from_status, event.to_status, event.actor) == ("confirmed", "no_show", None)


@pytest.mark.parametrize(
    ("start_status", "action"),
    [
        ("cancelled", "check_in"),
        ("cancelled", "cancel"),
        ("no_show", "check_in"),
        ("completed", "cancel"),
        ("checked_in", "cancel"),
        ("checked_in", "no_show"),
        ("confirmed", "check_out"),
        ("confirmed", "complete"),
    ],
)
def test_refused_transitions_raise_invalid_transition(
    booking: Any, clerk: Any, start_status: str, action: str
) -> None:
    changes: dict[str, Any] = {"status": start_status}
    if start_status == "cancelled":
        changes["cancelled_at"] = booking.starts_at
    if start_status in ("checked_in", "completed"):
        changes["checked_in_at"] = booking.starts_at
    type(booking).objects.filter(pk=booking.pk).update(**changes)
    booking.refresh_from_db()
    calls = {
        "check_in": lambda: booking_check_in(booking=booking, actor=clerk),
        "cancel": lambda: booking_cancel(booking=booking, actor=clerk, reason="r"),
        "no_show": lambda: booking_mark_no_show(booking=booking, actor=clerk),
        "check_out": lambda: booking_check_out(booking=booking, actor=clerk),
        "complete": lambda: booking_complete(booking=booking, actor=clerk),
    }
    with time_machine.travel(booking.ends_at + timedelta(hours=1)), pytest.raises(InvalidTransition):
        calls[action]()
    booking.refresh_from_db()
    assert booking.status == start_status


def test_a_stale_copy_cannot_move_a_booking_twice(booking: Any, freelancer: Any, clerk: Any) -> None:
    """Two desks hold the same booking; the second one's change is refused, not applied twice."""
    stale = type(booking).objects.get(pk=booking.pk)
    booking_cancel(booking=booking, actor=freelancer)
    with time_machine.travel(booking.starts_at), pytest.raises(InvalidTransition):
        booking_check_in(booking=stale, actor=clerk)
    assert BookingEvent.objects.filter(booking=booking).count() == 1
