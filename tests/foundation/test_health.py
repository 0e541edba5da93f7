from __future__ import annotations

from typing import Any

import pytest
from celery import Celery
from django.conf import settings
from django.test import Client

from erozgar.devservices import with_redis_db


@pytest.fixture
def broker_without_workers(monkeypatch: pytest.MonkeyPatch) -> Celery:
    """A real broker (same Redis, an unused database) on which no worker listens."""
    lonely = Celery("lonely", broker=with_redis_db(settings.REDIS_URL, 14))
    from erozgar import health

    original = health.check_celery
    monkeypatch.setattr(health, "check_celery", lambda: original(timeout=0.5, celery_app=lonely))
    return lonely


@pytest.mark.django_db
def test_healthz_answers_503_naming_celery_when_no_worker_answers(
    client: Client, broker_without_workers: Celery
) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["down"] == ["celery"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["celery"]["detail"] == "no worker answered"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_is_green_with_a_worker(client: Client, celery_worker_thread: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []


def test_redis_check_reports_an_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache.backends.redis import RedisCache

    from erozgar import health

    dead = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(health, "cache", dead)
    ok, detail = health.check_redis()
    assert ok is False
    assert detail == "ConnectionError"
