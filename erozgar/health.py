"""Checks behind /healthz, /healthz/ready and the Celery worker's heartbeat.

Each check answers (ok, detail) and never raises. The Celery check asks no worker anything:
every worker writes a heartbeat (its name and the time) into a Redis hash every
``HEARTBEAT_SECONDS`` from its own main loop (``WorkerHeartbeat`` in erozgar/celery.py), and
the check reads that hash; a worker whose last heartbeat is older than
``HEARTBEAT_MAX_AGE`` counts as gone.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from django.db import connection

from erozgar.tasks import BEAT_KEY

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
HEARTBEAT_MAX_AGE = 30.0
_WORKERS_KEY = "celery:worker-heartbeats"
# A worker gone for this long is dropped from the hash (renamed hosts must not pile up).
_FORGET_AFTER = 24 * 3600.0


def _redis() -> Any:
    return cache._cache.get_client(write=True)  # type: ignore[attr-defined]


def _workers_key() -> str:
    return cache.make_key(_WORKERS_KEY)


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


def record_worker_heartbeat(hostname: str) -> None:
    """Called by each worker's main loop: 'I am alive now'. Never raises (Redis may be down)."""
    try:
        client = _redis()
        now = time.time()
        key = _workers_key()
        client.hset(key, hostname, f"{now:.3f}")
        stale = [name for name, seen in client.hgetall(key).items() if now - float(seen) > _FORGET_AFTER]
        if stale:
            client.hdel(key, *stale)
    except Exception as exc:  # noqa: BLE001
        logger.warning("worker heartbeat not written: %s: %s", type(exc).__name__, exc)


def worker_heartbeats() -> dict[str, float]:
    """Seconds since each known worker's last heartbeat, by worker name."""
    now = time.time()
    raw = _redis().hgetall(_workers_key())
    return {
        (name.decode() if isinstance(name, bytes) else str(name)): now - float(seen)
        for name, seen in raw.items()
    }


def check_celery() -> tuple[bool, str]:
    try:
        ages = worker_heartbeats()
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}"
    alive = [name for name, age in ages.items() if age <= HEARTBEAT_MAX_AGE]
    if not alive:
        return False, "no worker heartbeat"
    return True, f"{len(alive)} worker(s)"


def beat_last_seen() -> str | None:
    try:
        value = cache.get(BEAT_KEY)
    except Exception:  # noqa: BLE001
        return None
    return str(value) if value else None
