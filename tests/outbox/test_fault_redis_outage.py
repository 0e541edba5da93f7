"""Redis stopped and started during a stream of bookings, with real processes.

gunicorn serves the API, a Celery worker sends mail into files, beat runs the sweeper, all on
a Redis of this test's own. Redis is killed (no persistence: what was queued is lost) while
people keep booking, and started again. Every booking answers 201 quickly, with no 5xx, and
afterwards every booking's confirmation is sent exactly once.

EROZGAR_OUTAGE_SECONDS sets the outage (6 s in the suite; the issue's 20 s was run by hand).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from knox.models import AuthToken

from bookings.models import Booking
from outbox.models import EmailStatus, OutgoingEmail
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.concurrency import wait_until
from tests.freelancers.factories import RegistrationFactory
from tests.outbox.processes import Processes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = float(os.environ.get("EROZGAR_OUTAGE_SECONDS", "6"))
# Fast enough for a test; production runs the sweeper every minute.
FAST_SWEEP = {"OUTBOX_SWEEP_SECONDS": "1", "OUTBOX_REQUEUE_SECONDS": "3"}
QUICK = 4.0  # seconds: far below the 20 s hang, with room for a busy 2-core CI machine


def test_no_booking_fails_and_no_email_is_lost_or_doubled_when_redis_stops(
    centre: Any, processes: Processes
) -> None:
    people = [RegistrationFactory(submitted=True).user for _ in range(8)]
    cabins = [CabinFactory(centre=centre) for _ in people]
    tokens = [AuthToken.objects.create(person)[1] for person in people]
    base = processes.web(**FAST_SWEEP)
    processes.worker(**FAST_SWEEP)
    processes.beat("beat-1", **FAST_SWEEP)  # two beats: two sweepers at once must not double an email
    processes.beat("beat-2", **FAST_SWEEP)
    processes.serving()
    processes.ready("worker")
    slots = iter([(n, hour) for hour in (9, 11, 13, 15) for n in range(len(people))])
    answers: list[tuple[str, int, float, str]] = []  # phase, status, seconds, request id

    def book(phase: str, client: httpx.Client) -> dict[str, Any]:
        n, hour = next(slots)
        request_id = f"fault-{phase}-{len(answers):04d}"
        body = {
            "space": cabins[n].pk,
            "starts_at": tomorrow_at(hour).isoformat(),
            "ends_at": (tomorrow_at(hour) + timedelta(hours=1)).isoformat(),
        }
        started = time.monotonic()
        response = client.post(
            "/api/v1/bookings/",
            json=body,
            headers={
                "Authorization": f"Token {tokens[n]}",
                "Idempotency-Key": request_id,
                "X-Request-ID": request_id,
            },
        )
        answers.append((phase, response.status_code, time.monotonic() - started, request_id))
        return {"response": response, "n": n, "body": body, "key": request_id}

    with httpx.Client(base_url=base, timeout=30) as client:
        # A fresh gunicorn worker imports the whole portal on its first request: not timed.
        warm = client.get("/api/v1/bookings/", headers={"Authorization": f"Token {tokens[0]}"})
        assert warm.status_code == 200
        for _ in range(6):
            book("before", client)
        processes.redis.stop()
        down_at = time.monotonic()
        during = []
        # Up to 16 bookings spread over the outage (the people's free slots run out after that).
        while time.monotonic() - down_at < OUTAGE_SECONDS and len(during) < 16:
            during.append(book("during", client))
            time.sleep(OUTAGE_SECONDS / 20)
        # A client retrying a booking made during the outage gets the same answer, no second email.
        first = during[0]
        replay = client.post(
            "/api/v1/bookings/",
            json=first["body"],
            headers={"Authorization": f"Token {tokens[first['n']]}", "Idempotency-Key": first["key"]},
        )
        assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == first["response"].json()
        time.sleep(max(OUTAGE_SECONDS - (time.monotonic() - down_at), 0))
        processes.redis.start()
        for _ in range(6):
            book("after", client)

    statuses = {(phase, status) for phase, status, _s, _id in answers}
    assert statuses == {("before", 201), ("during", 201), ("after", 201)}, answers
    slowest = max(seconds for _p, _s, seconds, _id in answers)
    assert slowest < QUICK, [(p, round(s, 2)) for p, _st, s, _i in answers]
    assert len([a for a in answers if a[0] == "during"]) >= 5

    bookings = Booking.objects.count()
    assert bookings == len(answers)
    assert OutgoingEmail.objects.count() == bookings  # the replay queued nothing
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == bookings,
        timeout=60,
        what="every confirmation sent",
    )
    # Two more sweeps and requeue intervals: a duplicate, if there were one, would arrive now.
    time.sleep(4)
    delivered = processes.delivered_message_ids()
    assert len(delivered) == len(set(delivered)) == bookings
    worker_log = processes.log("worker")
    assert f"request_id={answers[-1][3]}" in worker_log  # the booking's request id in the send log line
