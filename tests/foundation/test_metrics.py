"""/metrics: what a booking and a 409 do to the numbers, and who may read them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import resolve
from knox.models import AuthToken
from prometheus_client.parser import text_string_to_metric_families

from outbox.models import EmailStatus, OutgoingEmail
from tests.bookings.factories import CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db: Any) -> Any:
    centre = CentreFactory()
    weekdays_open(centre)  # 09:00-18:00 every day
    return centre


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: Client | None = None, **request: Any) -> Samples:
    response = (client or Client()).get("/metrics", **request)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_a_booking_and_a_409_show_in_the_metrics(
    centre: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cabin = CabinFactory(centre=centre)
    first, second = (RegistrationFactory(submitted=True).user for _ in range(2))
    body = {
        "space": cabin.pk,
        "starts_at": tomorrow_at(10).isoformat(),
        "ends_at": (tomorrow_at(10) + timedelta(hours=2)).isoformat(),
    }
    view = resolve("/api/v1/bookings/").view_name
    before = scrape()

    with django_capture_on_commit_callbacks(execute=True):
        made = Client().post(
            "/api/v1/bookings/",
            body,
            content_type="application/json",
            headers={"Authorization": f"Token {AuthToken.objects.create(first)[1]}"},
        )
    taken = Client().post(
        "/api/v1/bookings/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Token {AuthToken.objects.create(second)[1]}"},
    )
    assert (made.status_code, taken.status_code) == (201, 409)

    after = scrape()
    grew = {
        name: value(after, name, **labels) - value(before, name, **labels)
        for name, labels in {
            "erozgar_bookings_created_total": {"source": "api", "kind": str(cabin.kind)},
            "erozgar_booking_conflicts_total": {"code": "slot_taken"},
        }.items()
    }
    assert grew == {"erozgar_bookings_created_total": 1, "erozgar_booking_conflicts_total": 1}
    for status in ("201", "409"):
        labels = {"view": view, "method": "POST", "status": status}
        assert (
            value(after, "erozgar_http_requests_total", **labels)
            - value(before, "erozgar_http_requests_total", **labels)
            == 1
        )
    latency = {"view": view, "method": "POST"}
    assert (
        value(after, "erozgar_http_request_duration_seconds_count", **latency)
        - value(before, "erozgar_http_request_duration_seconds_count", **latency)
        == 2
    )
    # The confirmation is a row waiting for a worker (none runs here): the backlog says so.
    unsent = OutgoingEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).count()
    assert unsent >= 1
    assert value(after, "erozgar_outbox_emails", state="unsent") == unsent
    assert value(after, "erozgar_outbox_oldest_unsent_age_seconds") >= 0
    assert ("erozgar_celery_queue_length", frozenset()) in after


def test_a_refused_booking_that_is_not_a_conflict_counts_no_conflict(centre: Any) -> None:
    cabin = CabinFactory(centre=centre)
    person = RegistrationFactory(submitted=True).user
    before = scrape()
    backwards = Client().post(
        "/api/v1/bookings/",
        {"space": cabin.pk, "starts_at": tomorrow_at(12).isoformat(), "ends_at": tomorrow_at(10).isoformat()},
        content_type="application/json",
        headers={"Authorization": f"Token {AuthToken.objects.create(person)[1]}"},
    )
    assert backwards.status_code == 400
    after = scrape()
    assert value(after, "erozgar_booking_conflicts_total", code="slot_taken") == value(
        before, "erozgar_booking_conflicts_total", code="slot_taken"
    )
    assert value(after, "erozgar_bookings_created_total", source="api", kind=str(cabin.kind)) == value(
        before, "erozgar_bookings_created_total", source="api", kind=str(cabin.kind)
    )


def test_metrics_are_refused_to_other_addresses_and_to_requests_through_a_proxy() -> None:
    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert Client().get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 403
    # Loopback, but forwarded by a proxy on this host: a stranger's request.
    through_proxy = Client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert through_proxy.status_code == 403
    assert b"erozgar_" not in through_proxy.content
    assert Client().post("/metrics").status_code == 405
    scrape()  # loopback, no proxy: allowed


@override_settings(METRICS_TOKEN="a-long-scrape-token-0123456789", METRICS_ALLOWED_IPS=["10.0.0.0/8"])
def test_metrics_with_the_bearer_token_or_from_an_allowed_network() -> None:
    token = {"Authorization": "Bearer a-long-scrape-token-0123456789"}
    scrape(REMOTE_ADDR="203.0.113.9", headers=token)
    scrape(REMOTE_ADDR="203.0.113.9", headers={**token, "X-Forwarded-For": "203.0.113.9"})
    scrape(REMOTE_ADDR="10.20.30.40")
    wrong = {"Authorization": "Bearer a-long-scrape-token-0123456788"}
    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9", headers=wrong).status_code == 403
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403  # not in the list now


@override_settings(METRICS_TOKEN="")
def test_without_a_token_configured_no_bearer_opens_the_metrics() -> None:
    empty = {"Authorization": "Bearer "}
    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9", headers=empty).status_code == 403


@override_settings(ALLOWED_HOSTS=["erozgar.example.pk"])
def test_prometheus_scrapes_by_address_whatever_the_host_header() -> None:
    # Prometheus names the target by its address; the host check would answer 400.
    scrape(headers={"Host": "10.0.0.5:8000"})
    assert Client().get("/healthz/live", headers={"Host": "10.0.0.5:8000"}).status_code == 400
