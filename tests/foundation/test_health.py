from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from erozgar import health
from erozgar.devservices import with_redis_db
from tests.concurrency import wait_until


def _heartbeat_of(worker: Any) -> float:
    """Seconds since the worker's last heartbeat, once it has written one since the test began
    (each test starts with an empty cache, so the first may be up to HEARTBEAT_SECONDS away)."""
    return wait_until(
        lambda: health.worker_heartbeats().get(worker.hostname),
        timeout=health.HEARTBEAT_SECONDS + 5,
        interval=0.05,
        what="a heartbeat from the worker",
    )


def _median_seconds(client: Client, path: str, times: int = 9) -> float:
    """Median time of a request through the whole middleware stack (after a first, warm one)."""
    client.get(path)
    elapsed = []
    for _ in range(times):
        started = time.perf_counter()
        client.get(path)
        elapsed.append(time.perf_counter() - started)
    return sorted(elapsed)[times // 2]


@pytest.fixture
def redis_without_workers(monkeypatch: pytest.MonkeyPatch) -> RedisCache:
    """A real Redis (same server, an unused database) into which no worker writes heartbeats."""
    lonely = RedisCache(with_redis_db(settings.REDIS_URL, 14), {"KEY_PREFIX": "lonely"})
    lonely.clear()
    monkeypatch.setattr(health, "cache", lonely)
    return lonely


@pytest.mark.django_db
def test_healthz_answers_503_naming_celery_when_no_worker_heartbeat(
    client: Client, redis_without_workers: RedisCache
) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["down"] == ["celery"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["celery"]["detail"] == "no worker heartbeat"


@pytest.mark.django_db
def test_a_heartbeat_older_than_the_limit_counts_as_no_worker(
    client: Client, redis_without_workers: RedisCache
) -> None:
    client_ = redis_without_workers._cache.get_client(write=True)
    key = redis_without_workers.make_key("celery:worker-heartbeats")
    client_.hset(key, "celery@gone", f"{time.time() - health.HEARTBEAT_MAX_AGE - 5:.3f}")
    assert client.get("/healthz").status_code == 503
    health.record_worker_heartbeat("celery@fresh")
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["celery"]["detail"] == "1 worker(s)"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_is_green_with_a_worker(client: Client, celery_worker_thread: Any) -> None:
    _heartbeat_of(celery_worker_thread)
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_writing_its_heartbeat(celery_worker_thread: Any) -> None:
    _heartbeat_of(celery_worker_thread)
    for _ in range(2):
        time.sleep(health.HEARTBEAT_SECONDS)
        assert health.worker_heartbeats()[celery_worker_thread.hostname] < health.HEARTBEAT_SECONDS + 1


@pytest.mark.django_db
def test_healthz_holds_no_worker(client: Client) -> None:
    """The Celery check reads a heartbeat; it no longer waits 1.5 s for a ping."""
    started = time.perf_counter()
    client.get("/healthz")
    assert time.perf_counter() - started < 0.5


def test_live_answers_without_database_or_redis(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    dead = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(health, "cache", dead)
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert _median_seconds(client, "/healthz/live") < 0.005


@pytest.mark.django_db
def test_ready_answers_200_when_database_and_redis_answer(client: Client) -> None:
    response = client.get("/healthz/ready")
    assert _median_seconds(client, "/healthz/ready") < 0.05
    assert response.status_code == 200
    assert response.json()["down"] == []
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ready_answers_503_naming_redis_when_it_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


def test_redis_check_reports_an_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    dead = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(health, "cache", dead)
    ok, detail = health.check_redis()
    assert ok is False
    assert detail == "ConnectionError"
