"""`make run`'s stack, tried as a new user would break it: a worker killed, fifty clients at once.

The stack is supervisord with the repository's supervisord.conf (gunicorn with its default
worker count, the Celery worker, beat), on the test database and a Redis of its own.
"""

from __future__ import annotations

import email
import os
import signal
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from knox.models import AuthToken

from bookings.models import Booking
from outbox.models import EmailStatus, OutgoingEmail
from outbox.rendering import message_id
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.concurrency import run_at_once, wait_until
from tests.freelancers.factories import RegistrationFactory
from tests.operations.stack import Stack, allowed_seconds

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

CLIENTS = 50


def _token() -> str:
    return AuthToken.objects.create(RegistrationFactory(submitted=True).user)[1]


def _book(stack: Stack, token: str, body: dict[str, Any]) -> int | str:
    """POST a booking on a connection of its own: the status code, or the connection error's name."""
    try:
        with httpx.Client(base_url=stack.url, timeout=60) as client:
            headers = {"Authorization": f"Token {token}"}
            return client.post("/api/v1/bookings/", json=body, headers=headers).status_code
    except httpx.HTTPError as exc:
        return type(exc).__name__


def _body(space: Any) -> dict[str, Any]:
    start, end = tomorrow_at(10), tomorrow_at(12)
    return {"space": space.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat()}


def test_a_killed_worker_is_back_within_ten_seconds_while_web_keeps_answering(
    stack: Stack, cabin: Any
) -> None:
    web, beat, worker = stack.pid("web"), stack.pid("beat"), stack.pid("worker")
    assert stack.get("/healthz") == 200

    bound = allowed_seconds(10)
    os.kill(worker, signal.SIGKILL)  # the worker's main process; nothing gets to clean up
    killed_at, started = time.time(), time.monotonic()
    answers: list[int | str] = []
    while not ((stack.worker_heartbeat() or 0) > killed_at):
        assert time.monotonic() - started < bound, f"no worker heartbeat {bound:.0f} s after the kill"
        answers.append(stack.get("/healthz/ready", timeout=5))
        time.sleep(0.2)
    back_after = time.monotonic() - started

    assert set(answers) <= {200}, answers  # web answered all along
    assert stack.pid("worker") not in (0, worker)
    assert (stack.pid("web"), stack.pid("beat")) == (web, beat), "only the worker was restarted"
    assert stack.get("/healthz") == 200
    print(f"worker back after {back_after:.1f} s; web answered {len(answers)} requests meanwhile")

    # The new worker does the work: a booking's confirmation goes out, its links on the stack's port.
    assert _book(stack, _token(), _body(cabin)) == 201
    booking = Booking.objects.get(space=cabin)
    link = f"http://127.0.0.1:{stack.port}/bookings/{booking.reference}/"
    wait_until(lambda: link in stack.mail(), timeout=30, what="the confirmation, with the stack's address")
    assert "127.0.0.1:8000" not in stack.mail()


def test_fifty_clients_racing_for_one_cabin_get_one_201_and_49_409s(stack: Stack, cabin: Any) -> None:
    tokens = [_token() for _ in range(CLIENTS)]
    body = _body(cabin)
    started = time.monotonic()
    answers = run_at_once(lambda token: _book(stack, token, body), tokens)
    took = time.monotonic() - started
    errors = [a for a in answers if isinstance(a, str)]
    assert errors == [], f"{len(errors)} connection errors: {errors[:5]}"
    assert sorted(answers, key=str) == [201] + [409] * (CLIENTS - 1), answers
    assert Booking.objects.filter(space=cabin).count() == 1
    print(f"{CLIENTS} clients answered in {took:.2f} s")


OUTAGE_SECONDS = float(os.environ.get("EROZGAR_OUTAGE_SECONDS", "6"))


def test_redis_stopped_during_a_stream_of_bookings_loses_and_doubles_no_email(
    stack: Stack, centre: Any
) -> None:
    """Redis killed (no persistence: what was queued is lost) while people book, then started again
    on its port: no 5xx, and every booking's confirmation goes out exactly once afterwards."""
    people = [RegistrationFactory(submitted=True).user for _ in range(6)]
    cabins = [CabinFactory(centre=centre) for _ in people]
    tokens = [AuthToken.objects.create(person)[1] for person in people]
    slots = iter([(n, hour) for hour in (9, 11, 13, 15, 17) for n in range(len(people))])
    answers: list[tuple[str, int | str]] = []

    def book(phase: str) -> None:
        n, hour = next(slots)
        start = tomorrow_at(hour)
        body = {
            "space": cabins[n].pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
        }
        answers.append((phase, _book(stack, tokens[n], body)))

    for _ in range(4):
        book("before")
    stack.redis.stop()
    down_at = time.monotonic()
    while time.monotonic() - down_at < OUTAGE_SECONDS and len(answers) < 20:
        book("during")
        time.sleep(OUTAGE_SECONDS / 12)
    time.sleep(max(OUTAGE_SECONDS - (time.monotonic() - down_at), 0))
    stack.redis.start()
    for _ in range(4):
        book("after")

    assert {status for _phase, status in answers} == {201}, answers
    assert len([a for a in answers if a[0] == "during"]) >= 4
    rows = list(OutgoingEmail.objects.all())
    assert len(rows) == Booking.objects.count() == len(answers)
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == len(rows),
        timeout=allowed_seconds(30),
        what="every confirmation sent once Redis is back",
    )
    time.sleep(6)  # two more sweeps: a second copy, if there were one, would arrive now
    delivered = _delivered_ids(stack)
    assert {message_id(row): delivered.count(message_id(row)) for row in rows} == {
        message_id(row): 1 for row in rows
    }


def _delivered_ids(stack: Stack) -> list[str]:
    ids = []
    for path in sorted(stack.mail_dir.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                ids.append(str(email.message_from_bytes(chunk.strip()).get("Message-ID")))
    return ids
