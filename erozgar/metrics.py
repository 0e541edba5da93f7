"""Prometheus metrics at ``/metrics``: requests, bookings, 409s, the outbox, Celery.

- Counted where they happen (``prometheus_client`` counters in each web process): requests by
  view, method and status, their latency, bookings made and booking conflicts (409s).
- Read when scraped (``register_source``): the outbox's backlog (an app registers its
  reader), the Celery queue's length and the task failures every worker has counted in Redis
  (workers run on other hosts; a worker's own counters would die with it).

Who may read it: a request with ``Authorization: Bearer <METRICS_TOKEN>``, or one from an
address in ``METRICS_ALLOWED_IPS`` (default: loopback only) that came through no proxy (a
request carrying ``X-Forwarded-For`` is never trusted by its address). Anyone else gets 403.
``/metrics`` is answered before the host check and the https redirect: Prometheus scrapes each
process by its own address, over plain http, inside the private network.

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder (the image does)
and every worker's counters are summed into one answer.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # each process writes its counters there
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

logger = logging.getLogger(__name__)

METRICS_PATH = "/metrics"

HTTP_REQUESTS = Counter(
    "erozgar_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "erozgar_http_request_duration_seconds",
    "Time to answer an HTTP request, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BOOKINGS_CREATED = Counter("erozgar_bookings_created", "Bookings made (committed).", ["source", "kind"])
BOOKING_CONFLICTS = Counter(
    "erozgar_booking_conflicts", "Bookings refused because someone else holds the place (409).", ["code"]
)

# --- counted where it happens ------------------------------------------------------------


def record_request(*, view: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    HTTP_LATENCY.labels(view=view, method=method).observe(seconds)


def booking_created(*, source: str, kind: str) -> None:
    """Count a booking once its transaction commits (a rolled-back one never happened)."""
    transaction.on_commit(lambda: BOOKINGS_CREATED.labels(source=source, kind=kind).inc(), robust=True)


def booking_conflict(*, code: str) -> None:
    BOOKING_CONFLICTS.labels(code=code).inc()


# --- Celery task failures: counted in Redis, shared by every worker --------------------------

TASK_FAILURES_KEY = "erozgar:metrics:task-failures"


@cache
def _redis() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def task_failed(task_name: str) -> None:
    """A worker's task raised: one more in Redis (never raises: metrics must not fail a task)."""
    try:
        _redis().hincrby(TASK_FAILURES_KEY, task_name, 1)
    except Exception as exc:  # noqa: BLE001 - Redis down: the failure is still logged and reported
        logger.warning("metrics: could not count the failure of %s: %s", task_name, exc)


def _celery_metrics() -> Iterable[Metric]:
    failures = CounterMetricFamily(
        "erozgar_celery_task_failures", "Celery tasks that raised, by task (all workers).", labels=["task"]
    )
    queue = GaugeMetricFamily("erozgar_celery_queue_length", "Tasks waiting in the broker's queue.")
    try:
        client = _redis()
        for name, count in sorted(client.hgetall(TASK_FAILURES_KEY).items()):
            failures.add_metric([name.decode()], float(count))
        queue.add_metric([], float(client.llen("celery")))
    except Exception as exc:  # noqa: BLE001 - Redis down: /metrics still answers the rest
        logger.warning("metrics: Redis unreachable: %s", exc)
        return [failures]
    return [failures, queue]


# --- read when scraped ------------------------------------------------------------------------

_sources: list[Callable[[], Iterable[Metric]]] = [_celery_metrics]


def register_source(source: Callable[[], Iterable[Metric]]) -> None:
    """An app's reader of its own numbers (the outbox's backlog), called at every scrape."""
    if source not in _sources:
        _sources.append(source)


class _Sources(Collector):
    def collect(self) -> Iterable[Metric]:
        for source in list(_sources):
            try:
                yield from source()
            except Exception:  # noqa: BLE001 - one broken reader must not hide the others
                logger.exception("metrics: %s failed", getattr(source, "__name__", source))


disable_created_metrics()  # no "_created" series beside every counter
_scraped = CollectorRegistry(auto_describe=False)
_scraped.register(_Sources())


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    return generate_latest(counted) + generate_latest(_scraped)


# --- who may read it ----------------------------------------------------------------------------


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS]


def may_read_metrics(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


class MetricsMiddleware:
    """Second in MIDDLEWARE (after the request id): answers /metrics, times every other request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == METRICS_PATH:
            if request.method not in ("GET", "HEAD"):
                return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
            if not may_read_metrics(request):
                return HttpResponse(
                    "Metrics are for the monitoring system only.\n", status=403, content_type="text/plain"
                )
            return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        record_request(
            view=match.view_name if match else "unmatched",
            method=request.method if request.method in KNOWN_METHODS else "other",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
