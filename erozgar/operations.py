"""What the background machinery is doing, for PSEB's operations page: queues and beat's jobs.

Workers record when each scheduled job last finished and how (``record_job_run``, connected
to Celery's ``task_postrun`` in erozgar/celery.py) in a Redis hash beside their heartbeats.
Reading never raises: with Redis down the page says so instead of failing.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

_JOB_RUNS_KEY = "celery:job-runs"


@dataclass(frozen=True)
class QueueLength:
    name: str
    waiting: int


@dataclass(frozen=True)
class JobRun:
    name: str  # the schedule entry
    task: str
    schedule: str
    finished_at: datetime | None
    state: str  # SUCCESS, FAILURE, RETRY... or "" when not seen since Redis was emptied
    runtime_seconds: float | None


def _redis() -> Any:
    return cache._cache.get_client(write=True)  # type: ignore[attr-defined]


def record_job_run(task_name: str, state: str, runtime_seconds: float | None) -> None:
    """Called in the worker after each task of beat's schedule. Never raises."""
    try:
        value = json.dumps({"at": time.time(), "state": state, "runtime": runtime_seconds})
        _redis().hset(cache.make_key(_JOB_RUNS_KEY), task_name, value)
    except Exception as exc:  # noqa: BLE001
        logger.warning("job run of %s not recorded: %s: %s", task_name, type(exc).__name__, exc)


def job_runs(schedule: dict[str, dict[str, Any]]) -> list[JobRun]:
    """Every entry of beat's schedule with the last run a worker recorded (raises when Redis is down)."""
    raw = _redis().hgetall(cache.make_key(_JOB_RUNS_KEY))
    seen = {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in raw.items()}
    rows = []
    for name, entry in sorted(schedule.items()):
        run = seen.get(entry["task"])
        rows.append(
            JobRun(
                name=name,
                task=entry["task"],
                schedule=_describe(entry["schedule"]),
                finished_at=datetime.fromtimestamp(run["at"], tz=UTC) if run else None,
                state=run["state"] if run else "",
                runtime_seconds=run.get("runtime") if run else None,
            )
        )
    return rows


def _describe(schedule: Any) -> str:
    if isinstance(schedule, int | float):
        return f"every {schedule:g} s"
    return str(schedule).removeprefix("<crontab: ").removesuffix(">")


def queue_lengths(queue_names: list[str]) -> list[QueueLength]:
    """Tasks waiting in each Celery queue on the Redis broker (raises when Redis is down)."""
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        lengths = [QueueLength(name, int(client.llen(name))) for name in queue_names]
        # Delivered to a worker but not yet acknowledged (acks are late: running or reserved).
        lengths.append(QueueLength("unacked", int(client.hlen("unacked"))))
    finally:
        client.close()
    return lengths
