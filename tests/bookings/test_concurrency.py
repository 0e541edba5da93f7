"""Simultaneous requests against a live server: the database lets exactly one booking win.

Each client has its own token and HTTP connection; tests.concurrency.run_at_once releases them together.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import IntegrityError, close_old_connections
from knox.models import AuthToken

from bookings.models import Booking
from tests.bookings.factories import BookingFactory, CabinFactory, MeetingRoomFactory, tomorrow_at
from tests.concurrency import run_at_once
from tests.freelancers.factories import RegistrationFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CLIENTS = 50

# Django's development server listens with a backlog of 10; fifty clients connecting in
# the same millisecond would see resets from the kernel, not answers from the portal.
# (Set at import, before the session's live server binds its socket.)
WSGIServer.request_queue_size = max(WSGIServer.request_queue_size, 4 * CLIENTS)


def _fire(
    url: str, requests: list[tuple[str, dict[str, Any]]], headers: dict[str, str] | None = None
) -> list[httpx.Response]:
    """POST every (token, body) at once from its own thread; answers in the same order."""

    def post(item: tuple[str, dict[str, Any]]) -> httpx.Response:
        token, body = item
        with httpx.Client(base_url=url, timeout=60) as client:
            return client.post(
                "/api/v1/bookings/", json=body, headers={"Authorization": f"Token {token}", **(headers or {})}
            )

    return run_at_once(post, requests)


def _tokens(count: int) -> list[str]:
    return [AuthToken.objects.create(RegistrationFactory(submitted=True).user)[1] for _ in range(count)]


def _body(space: Any, start: Any, end: Any) -> dict[str, Any]:
    return {"space": space.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat()}


def test_fifty_people_booking_the_same_space_and_time_at_once_get_one_booking(
    live_server: Any, cabin: Any
) -> None:
    body = _body(cabin, tomorrow_at(10), tomorrow_at(12))
    responses = _fire(live_server.url, [(token, body) for token in _tokens(CLIENTS)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (CLIENTS - 1), [r.json() for r in responses if r.status_code == 400]
    assert Booking.objects.filter(space=cabin).count() == 1
    losers = [r.json() for r in responses if r.status_code == 409]
    assert all(body["code"] == "slot_taken" for body in losers)


def test_fifty_overlapping_but_different_ranges_leave_one_booking(live_server: Any, cabin: Any) -> None:
    # Every range holds 12:00-13:00, so every pair overlaps; all are valid cabin bookings.
    requests = []
    for i, token in enumerate(_tokens(CLIENTS)):
        start = tomorrow_at(9) + timedelta(minutes=30 * (i % 7))
        end = tomorrow_at(13) + timedelta(minutes=30 * (i % 10))
        requests.append((token, _body(cabin, start, end)))
    responses = _fire(live_server.url, requests)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (CLIENTS - 1), [r.json() for r in responses if r.status_code != 409]
    assert len({(b["starts_at"], b["ends_at"]) for _, b in requests}) > 10
    assert Booking.objects.filter(space=cabin).count() == 1


def test_one_person_firing_overlapping_bookings_on_different_seats_ends_with_one(
    live_server: Any, centre: Any
) -> None:
    cabins = CabinFactory.create_batch(10, centre=centre)
    token = _tokens(1)[0]
    requests = [
        (token, _body(c, tomorrow_at(10), tomorrow_at(12) + timedelta(minutes=30 * i)))
        for i, c in enumerate(cabins)
    ]
    responses = _fire(live_server.url, requests)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [400] * 9, codes
    assert {r.json()["code"] for r in responses if r.status_code == 400} == {"one_seat_per_person"}
    assert Booking.objects.count() == 1


def test_the_active_booking_cap_holds_under_concurrency(live_server: Any, centre: Any) -> None:
    centre.max_active_bookings = 3
    centre.save()
    room = MeetingRoomFactory(centre=centre)
    token = _tokens(1)[0]
    requests = [
        (token, _body(room, tomorrow_at(9) + timedelta(hours=i), tomorrow_at(10) + timedelta(hours=i)))
        for i in range(8)
    ]
    codes = sorted(r.status_code for r in _fire(live_server.url, requests))
    assert codes == [201] * 3 + [400] * 5, codes
    assert Booking.objects.count() == 3


def test_the_exclusion_constraint_alone_stops_two_concurrent_inserts(
    cabin: Any, freelancer: Any, other_freelancer: Any
) -> None:
    """No service, no lock: two raw inserts racing in two transactions, the database refuses one."""

    def insert(user: Any) -> str:
        try:
            BookingFactory(space=cabin, user=user, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
        except IntegrityError as exc:
            return "refused" if "booking_no_overlap_per_space" in str(exc) else str(exc)
        return "inserted"

    outcomes = run_at_once(insert, [freelancer, other_freelancer])
    close_old_connections()
    assert sorted(outcomes) == ["inserted", "refused"]
    assert Booking.objects.filter(space=cabin).count() == 1


def test_ten_simultaneous_retries_with_one_idempotency_key_book_once_and_agree(
    live_server: Any, cabin: Any
) -> None:
    token = _tokens(1)[0]
    body = _body(cabin, tomorrow_at(10), tomorrow_at(12))
    responses = _fire(live_server.url, [(token, body)] * 10, headers={"Idempotency-Key": "retry-storm"})
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["reference"] for r in responses}) == 1
    assert Booking.objects.count() == 1
