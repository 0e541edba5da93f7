"""Structured logs and metrics with real processes: one request id from the booking request to
the worker's email, and /metrics of a gunicorn that counts what a separate worker did.

gunicorn and a Celery worker log JSON (LOG_FORMAT=json, as in production), on the test
database and a Redis of the test's own. A booking is made with an X-Request-ID; the web's
request line and the worker's "sent" line carry that id. A second person's booking of the
same time is refused (409), a task fails in the worker, and gunicorn's /metrics (its workers'
counters summed through PROMETHEUS_MULTIPROC_DIR) shows the booking, the 409, the requests,
the failed task (counted by the worker in Redis) and an empty outbox.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from knox.models import AuthToken
from prometheus_client.parser import text_string_to_metric_families

from erozgar.devservices import with_redis_db
from outbox.models import EmailStatus, OutgoingEmail
from outbox.tasks import send_email
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.concurrency import wait_until
from tests.freelancers.factories import RegistrationFactory
from tests.outbox.processes import Processes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_one_request_id_from_the_booking_into_the_workers_email_and_metrics_across_processes(
    centre: Any, processes: Processes, tmp_path: Path
) -> None:
    cabin = CabinFactory(centre=centre)
    first, second = (RegistrationFactory(submitted=True).user for _ in range(2))
    logs = {"LOG_FORMAT": "json", "LOG_REQUESTS": "true"}
    base = processes.web(PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"), **logs)
    processes.worker(**logs)
    processes.serving()
    processes.ready("worker")
    body = {
        "space": cabin.pk,
        "starts_at": tomorrow_at(10).isoformat(),
        "ends_at": (tomorrow_at(10) + timedelta(hours=1)).isoformat(),
    }
    trace = "trace-booking-0001"
    with httpx.Client(base_url=base, timeout=30) as client:
        made = client.post(
            "/api/v1/bookings/",
            json=body,
            headers={"Authorization": f"Token {AuthToken.objects.create(first)[1]}", "X-Request-ID": trace},
        )
        taken = client.post(
            "/api/v1/bookings/",
            json=body,
            headers={"Authorization": f"Token {AuthToken.objects.create(second)[1]}"},
        )
        assert (made.status_code, taken.status_code) == (201, 409), taken.text
        assert made.headers["X-Request-ID"] == trace
        wait_until(
            lambda: OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 1,
            timeout=60,
            what="the confirmation is sent",
        )
        # A task that raises in the worker (a row id that is not a number).
        from erozgar.celery import app

        broker = with_redis_db(processes.redis.url, int(settings.CELERY_BROKER_URL.rsplit("/", 1)[1]))
        with app.connection_for_write(broker) as connection:
            failing = send_email.apply_async(("not-a-row-id",), connection=connection)
        wait_until(
            lambda: any(
                failing.id in line["message"] and line["level"] == "ERROR"
                for line in json_lines(processes.log("worker"))
            ),
            timeout=30,
            what="the task fails in the worker",
        )
        # A look-up's query string (a CNIC here) is not part of the logged path.
        assert client.get("/centres/", params={"q": "35202-1234567-1"}).status_code == 200
        scraped = client.get("/metrics")
        assert scraped.status_code == 200
        refused = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert refused.status_code == 403

    # The web's one line per request, in JSON, with the request's id.
    (request_line,) = [line for line in json_lines(processes.log("web")) if line.get("request_id") == trace]
    assert request_line["logger"] == "erozgar.request"
    assert (request_line["method"], request_line["path"], request_line["status"]) == (
        "POST",
        "/api/v1/bookings/",
        201,
    )
    assert isinstance(request_line["duration_ms"], float) and request_line["duration_ms"] > 0
    assert "35202" not in processes.log("web")
    (look_up,) = [
        line for line in json_lines(processes.log("web")) if line.get("view") == "centres:directory"
    ]
    assert look_up["path"] == "/centres/"
    conflict_lines = [line for line in json_lines(processes.log("web")) if line.get("status") == 409]
    assert len(conflict_lines) == 1 and conflict_lines[0]["request_id"] not in ("", trace)

    # The worker's lines while it sent that booking's email name the same request.
    worker_lines = json_lines(processes.log("worker"))
    sent = [line for line in worker_lines if line["message"].startswith("outbox: sent email")]
    assert len(sent) == 1 and sent[0]["request_id"] == trace

    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(scraped.text)
        for sample in family.samples
    }

    def value(name: str, **labels: str) -> float:
        return samples.get((name, frozenset(labels.items())), 0.0)

    assert value("erozgar_bookings_created_total", source="api", kind=str(cabin.kind)) == 1
    assert value("erozgar_booking_conflicts_total", code="slot_taken") == 1
    view = "api-bookings"
    assert value("erozgar_http_requests_total", view=view, method="POST", status="201") == 1
    assert value("erozgar_http_requests_total", view=view, method="POST", status="409") == 1
    assert value("erozgar_celery_task_failures_total", task="outbox.tasks.send_email") == 1
    assert value("erozgar_outbox_emails", state="unsent") == 0
