"""Checks behind /healthz: each answers (ok, detail) and never raises."""

from __future__ import annotations

from celery import Celery
from django.core.cache import cache
from django.db import connection

from erozgar.celery import app
from erozgar.tasks import BEAT_KEY


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}"


def check_redis() -> tuple[bool, str]:
    try:
        client = cache._cache.get_client()  # type: ignore[attr-defined]
        client.ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}"


def check_celery(timeout: float = 1.5, celery_app: Celery | None = None) -> tuple[bool, str]:
    try:
        replies = (celery_app or app).control.ping(timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}"
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s)"


def beat_last_seen() -> str | None:
    try:
        value = cache.get(BEAT_KEY)
    except Exception:  # noqa: BLE001
        return None
    return str(value) if value else None
