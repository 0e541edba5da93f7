"""`make run`'s stack, tried as a new user would break it: a worker killed, fifty clients at once.

The stack is supervisord with the repository's supervisord.conf (gunicorn with its default
worker count, the Celery worker, beat), on the test database and a Redis of its own.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import httpx
import pytest
from knox.models import AuthToken

from bookings.models import Booking
from tests.bookings.factories import tomorrow_at
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
