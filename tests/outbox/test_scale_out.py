"""Two web servers and two workers on one database: the race and exactly-once email still hold.

What docs/operations.md promises for several hosts, with real processes on one machine: two
gunicorns (each a "web host", two workers of their own), two Celery workers (each a "worker
host") and two beats, all on the test database and one Redis.

1. People book the same cabin and time at the same instant, alternately through either web
   server: one 201, the rest 409, one booking in the database.
2. People each book their own cabin at once, through both servers: every booking made, every
   confirmation sent exactly once, though every row's send task is then queued a second time
   (both workers compete for each row: the conditional UPDATE lets one of them have it).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.conf import settings
from knox.models import AuthToken

from bookings.models import Booking
from erozgar.devservices import with_redis_db
from outbox.models import EmailStatus, OutgoingEmail
from outbox.tasks import send_email
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.concurrency import run_at_once, wait_until
from tests.freelancers.factories import RegistrationFactory
from tests.outbox.processes import Processes

pytestmark = [pytest.mark.celery, pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 12
OWN_CABINS = 8
FAST_SWEEP = {"OUTBOX_SWEEP_SECONDS": "1", "OUTBOX_REQUEUE_SECONDS": "3"}


def _fire(bases: list[str], requests: list[tuple[str, dict[str, Any]]]) -> list[httpx.Response]:
    """POST every (token, body) at once, the n-th through web server n % 2."""

    def post(item: tuple[int, tuple[str, dict[str, Any]]]) -> httpx.Response:
        n, (token, body) = item
        with httpx.Client(base_url=bases[n % len(bases)], timeout=60) as client:
            return client.post("/api/v1/bookings/", json=body, headers={"Authorization": f"Token {token}"})

    return run_at_once(post, list(enumerate(requests)))


def _tokens(count: int) -> list[str]:
    return [AuthToken.objects.create(RegistrationFactory(submitted=True).user)[1] for _ in range(count)]


def test_two_web_servers_and_two_workers_keep_one_winner_and_one_email_each(
    centre: Any, processes: Processes
) -> None:
    contested = CabinFactory(centre=centre)
    own = [CabinFactory(centre=centre) for _ in range(OWN_CABINS)]
    bases = [
        processes.web(name="web-1", **FAST_SWEEP),
        processes.web(name="web-2", **FAST_SWEEP),
    ]
    for name in ("worker-1", "worker-2"):
        processes.worker(name, **FAST_SWEEP)
    processes.beat("beat-1", **FAST_SWEEP)
    processes.beat("beat-2", **FAST_SWEEP)
    for name in ("web-1", "web-2"):
        processes.serving(name)
    processes.ready("worker-1")
    processes.ready("worker-2")
    for base in bases:  # each gunicorn imports the portal on its first request: not part of the race
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/healthz/live").status_code == 200

    # 1. The race, across both servers.
    slot = {"space": contested.pk, "starts_at": tomorrow_at(10).isoformat()}
    slot["ends_at"] = (tomorrow_at(10) + timedelta(hours=2)).isoformat()
    responses = _fire(bases, [(token, slot) for token in _tokens(RACERS)])
    codes = sorted(response.status_code for response in responses)
    assert codes == [201] + [409] * (RACERS - 1), [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    assert Booking.objects.filter(space=contested).count() == 1

    # 2. Everyone their own cabin, at once, through both servers.
    bodies = [
        {
            "space": cabin.pk,
            "starts_at": tomorrow_at(14).isoformat(),
            "ends_at": (tomorrow_at(14) + timedelta(hours=1)).isoformat(),
        }
        for cabin in own
    ]
    made = _fire(bases, list(zip(_tokens(OWN_CABINS), bodies, strict=True)))
    assert [response.status_code for response in made] == [201] * OWN_CABINS
    bookings = Booking.objects.count()
    assert bookings == 1 + OWN_CABINS
    assert OutgoingEmail.objects.count() == bookings

    # Every row's send task a second time: two workers compete for each.
    broker = with_redis_db(processes.redis.url, int(settings.CELERY_BROKER_URL.rsplit("/", 1)[1]))
    from erozgar.celery import app

    with app.connection_for_write(broker) as connection:
        for pk in OutgoingEmail.objects.values_list("pk", flat=True):
            send_email.apply_async((pk,), connection=connection)
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == bookings,
        timeout=90,
        what="every confirmation sent",
    )
    time.sleep(4)  # more sweeps by both beats: a second copy, if there were one, would arrive now
    delivered = processes.delivered_message_ids()
    assert len(delivered) == len(set(delivered)) == bookings
    both_workers_worked = all("succeeded" in processes.log(name) for name in ("worker-1", "worker-2"))
    assert both_workers_worked, "each worker should have run send tasks"
    assert all(process.poll() is None for process in processes.started)
