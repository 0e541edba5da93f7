"""Check-in at the desk: the window edges, the harmless second scan, and refusals in desk words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from bookings.models import BookingEvent, BookingStatus, Product
from desk.models import DeskAction
from desk.scans import DeskRefusal, desk_check_in, desk_check_out
from erozgar.errors import NotAllowed
from tests.bookings.factories import CabinFactory
from tests.concurrency import run_at_once
from tests.desk.helpers import make_booking, today_at

pytestmark = pytest.mark.django_db


def _refused(centre: Any, clerk: Any, reference: str) -> DeskRefusal:
    with pytest.raises(DeskRefusal) as info:
        desk_check_in(centre=centre, actor=clerk, reference=reference)
    return info.value


def test_clerk_checks_a_person_in_by_reference_and_it_is_audited(
    centre: Any, clerk: Any, booking: Any
) -> None:
    with time_machine.travel(today_at(9, 55), tick=False):
        result = desk_check_in(centre=centre, actor=clerk, reference=booking.reference.lower())
    booking.refresh_from_db()
    assert result.outcome == "checked_in"
    assert booking.status == BookingStatus.CHECKED_IN
    assert booking.checked_in_at == today_at(9, 55)
    assert "09:55" in result.message and "Cabin A" in result.message
    event = BookingEvent.objects.get(booking=booking, action=BookingEvent.Action.CHECKED_IN)
    assert event.actor == clerk
    action = DeskAction.objects.get(booking=booking)
    assert (action.kind, action.actor, action.centre) == ("check_in", clerk, centre)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (lambda: today_at(9, 30), True),  # opens exactly 30 minutes before 10:00
        (lambda: today_at(9, 30) - timedelta(seconds=1), False),
        (lambda: today_at(10, 30) - timedelta(seconds=1), True),  # last second of the 30-minute grace
        (lambda: today_at(10, 30), False),  # grace over: the booking is for release
    ],
    ids=["opens", "one-second-early", "last-second-of-grace", "grace-over"],
)
def test_check_in_window_edges(centre: Any, clerk: Any, booking: Any, moment: Any, allowed: bool) -> None:
    with time_machine.travel(moment(), tick=False):
        if allowed:
            assert (
                desk_check_in(centre=centre, actor=clerk, reference=booking.reference).outcome == "checked_in"
            )
        else:
            error = _refused(centre, clerk, booking.reference)
            assert error.code in {"too_early", "too_late"}
    booking.refresh_from_db()
    assert (booking.status == BookingStatus.CHECKED_IN) is allowed


def test_too_early_says_when_check_in_opens(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(9, 10), tick=False):
        error = _refused(centre, clerk, booking.reference)
    assert error.code == "too_early"
    assert "09:30" in str(error.message)


def test_too_late_says_when_check_in_closed(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(11, 0), tick=False):
        error = _refused(centre, clerk, booking.reference)
    assert error.code == "too_late"
    assert "10:30" in str(error.message)


def test_the_window_follows_the_centres_own_settings(centre: Any, clerk: Any, booking: Any) -> None:
    centre.checkin_opens_minutes = 10
    centre.checkin_grace_minutes = 5
    centre.save()
    with time_machine.travel(today_at(9, 45), tick=False):
        assert _refused(centre, clerk, booking.reference).code == "too_early"
    with time_machine.travel(today_at(10, 5), tick=False):
        assert _refused(centre, clerk, booking.reference).code == "too_late"
    with time_machine.travel(today_at(10, 4), tick=False):
        assert desk_check_in(centre=centre, actor=clerk, reference=booking.reference).outcome == "checked_in"


def test_second_scan_is_harmless_and_says_when_the_person_checked_in(
    centre: Any, clerk: Any, cabin: Any, freelancer: Any
) -> None:
    booking = make_booking(cabin, freelancer, today_at(9, 30), today_at(12))
    with time_machine.travel(today_at(9, 12), tick=False):
        desk_check_in(centre=centre, actor=clerk, reference=booking.reference)
    with time_machine.travel(today_at(9, 40), tick=False):
        again = desk_check_in(centre=centre, actor=clerk, reference=booking.reference)
    assert again.outcome == "already_checked_in"
    assert "already checked in at 09:12" in again.message.lower()
    booking.refresh_from_db()
    assert booking.checked_in_at == today_at(9, 12)
    assert BookingEvent.objects.filter(booking=booking, action="checked_in").count() == 1
    assert list(DeskAction.objects.filter(booking=booking).values_list("kind", flat=True).order_by("id")) == [
        "check_in",
        "check_in_repeat",
    ]


def test_booking_of_another_centre_is_refused_with_its_centre_named(
    centre: Any, other_centre: Any, clerk: Any, freelancer: Any
) -> None:
    elsewhere = make_booking(CabinFactory(centre=other_centre), freelancer, today_at(10), today_at(12))
    with time_machine.travel(today_at(10), tick=False):
        error = _refused(centre, clerk, elsewhere.reference)
    assert error.code == "other_centre"
    assert "Karachi Saddar" in str(error.message)
    elsewhere.refresh_from_db()
    assert elsewhere.status == BookingStatus.CONFIRMED
    assert DeskAction.objects.get(kind="check_in_refused").booking is None  # nothing of theirs in our log


def test_booking_for_another_day_is_refused_with_its_day(
    centre: Any, clerk: Any, cabin: Any, freelancer: Any
) -> None:
    tomorrow = make_booking(cabin, freelancer, today_at(10, days=1), today_at(12, days=1))
    with time_machine.travel(today_at(10), tick=False):
        error = _refused(centre, clerk, tomorrow.reference)
    assert error.code == "other_day"
    assert "Wednesday 2 December 2026" in str(error.message)


def test_cancelled_booking_is_refused(centre: Any, clerk: Any, cabin: Any, freelancer: Any) -> None:
    cancelled = make_booking(
        cabin,
        freelancer,
        today_at(10),
        today_at(12),
        status=BookingStatus.CANCELLED,
        cancelled_at=today_at(8),
    )
    with time_machine.travel(today_at(10), tick=False):
        error = _refused(centre, clerk, cancelled.reference)
    assert error.code == "cancelled"
    assert "cancelled" in str(error.message)


def test_released_no_show_is_refused_with_the_release_time(
    centre: Any, clerk: Any, cabin: Any, freelancer: Any
) -> None:
    released = make_booking(cabin, freelancer, today_at(9), today_at(10), status=BookingStatus.NO_SHOW)
    with time_machine.travel(today_at(9, 50), tick=False):
        error = _refused(centre, clerk, released.reference)
    assert error.code == "released"
    assert "released at 09:30" in str(error.message)


def test_unknown_and_malformed_references_are_explained(centre: Any, clerk: Any) -> None:
    assert _refused(centre, clerk, "ABCDEFGH").code == "not_found"
    assert _refused(centre, clerk, "hello?").code == "bad_reference"


def test_monthly_plan_is_checked_in_on_any_day_of_its_month(
    centre: Any, clerk: Any, workstation: Any, freelancer: Any
) -> None:
    plan = make_booking(
        workstation,
        freelancer,
        today_at(0),
        today_at(0, days=31),
        product=Product.MONTHLY,
    )
    with time_machine.travel(today_at(15, days=6), tick=False):
        assert desk_check_in(centre=centre, actor=clerk, reference=plan.reference).outcome == "checked_in"


def test_staff_cannot_check_in_at_another_centre(centre: Any, other_staff: Any, booking: Any) -> None:
    with time_machine.travel(today_at(10), tick=False), pytest.raises(NotAllowed):
        desk_check_in(centre=centre, actor=other_staff, reference=booking.reference)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_freelancer_cannot_check_themselves_in(centre: Any, freelancer: Any, booking: Any) -> None:
    with time_machine.travel(today_at(10), tick=False), pytest.raises(NotAllowed):
        desk_check_in(centre=centre, actor=freelancer, reference=booking.reference)


def test_nonce_resent_by_an_offline_scanner_counts_once(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(10), tick=False):
        first = desk_check_in(centre=centre, actor=clerk, reference=booking.reference, nonce="scan-0001")
    with time_machine.travel(today_at(10, 5), tick=False):
        replay = desk_check_in(centre=centre, actor=clerk, reference=booking.reference, nonce="scan-0001")
    assert first.outcome == replay.outcome == "checked_in"
    assert replay.replayed is True
    assert DeskAction.objects.filter(nonce="i:scan-0001").count() == 1
    assert DeskAction.objects.count() == 1


def test_refusal_under_a_nonce_is_replayed_as_the_same_refusal(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(9), tick=False), pytest.raises(DeskRefusal) as info:
        desk_check_in(centre=centre, actor=clerk, reference=booking.reference, nonce="n-early")
    # Replayed later, inside the window: the scanner gets the first answer, nothing is checked in.
    with time_machine.travel(today_at(10), tick=False), pytest.raises(DeskRefusal) as again:
        desk_check_in(centre=centre, actor=clerk, reference=booking.reference, nonce="n-early")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert again.value.code == info.value.code == "too_early"
    assert DeskAction.objects.count() == 1


def test_check_out_completes_the_booking_and_twice_is_harmless(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(10), tick=False):
        desk_check_in(centre=centre, actor=clerk, reference=booking.reference)
    with time_machine.travel(today_at(11, 40), tick=False):
        out = desk_check_out(centre=centre, actor=clerk, reference=booking.reference)
        again = desk_check_out(centre=centre, actor=clerk, reference=booking.reference)
    booking.refresh_from_db()
    assert out.outcome == "checked_out"
    assert again.outcome == "already_checked_out" and "11:40" in again.message
    assert booking.status == BookingStatus.COMPLETED
    assert booking.checked_out_at == today_at(11, 40)


def test_check_out_before_check_in_is_refused(centre: Any, clerk: Any, booking: Any) -> None:
    with time_machine.travel(today_at(10), tick=False), pytest.raises(DeskRefusal) as info:
        desk_check_out(centre=centre, actor=clerk, reference=booking.reference)
    assert info.value.code == "not_checked_in"


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("k7m2qx9p", "K7M2QX9P"),
        ("  K7M2QX9P\n", "K7M2QX9P"),
        ("https://erozgar.example/bookings/K7M2QX9P/", "K7M2QX9P"),
        ("K7M2QX9", None),  # one short
        ("K7M2QX9L", None),  # L is not in the alphabet (read aloud it is confused with 1)
        ("35202-1234567-1", None),
    ],
)
def test_scanned_text_is_reduced_to_a_reference(typed: str, reference: str | None) -> None:
    from desk.selectors import normalise_reference

    assert normalise_reference(typed) == reference


@pytest.mark.django_db(transaction=True)
def test_two_scanners_sending_the_same_nonce_at_once_count_once(
    centre: Any, clerk: Any, booking: Any
) -> None:
    def scan(_: int) -> str:
        with time_machine.travel(today_at(10), tick=True):
            return desk_check_in(
                centre=centre, actor=clerk, reference=booking.reference, nonce="queue-7"
            ).outcome

    outcomes = run_at_once(scan, range(2))
    assert outcomes == ["checked_in", "checked_in"]  # the loser is answered with the winner's answer
    assert DeskAction.objects.filter(nonce="i:queue-7").count() == 1
    assert BookingEvent.objects.filter(booking=booking, action="checked_in").count() == 1


def test_the_same_nonce_for_check_in_and_check_out_are_two_different_scans(
    centre: Any, clerk: Any, booking: Any
) -> None:
    with time_machine.travel(today_at(10), tick=False):
        assert (
            desk_check_in(centre=centre, actor=clerk, reference=booking.reference, nonce="7").outcome
            == "checked_in"
        )
        out = desk_check_out(centre=centre, actor=clerk, reference=booking.reference, nonce="7")
    assert out.outcome == "checked_out"
