"""The Celery app: Redis broker, JSON only, late acks; the beat schedule lives here, in code."""

from __future__ import annotations

import os
import time
from typing import Any

from celery import Celery, bootsteps, signals
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erozgar.settings")

from erozgar import observability  # noqa: E402  (after the settings module is named)

# Every task reports its failure (erozgar.monitoring): to Sentry when configured, else mail to ADMINS.
app = Celery("erozgar", task_cls="erozgar.monitoring:ReportingTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
observability.connect_celery()  # a task queued in a request logs that request's id


@signals.task_failure.connect(weak=False)
def _count_failure(sender: Any = None, **_: Any) -> None:
    # Imported here: prometheus_client must not be imported before gunicorn's config has set
    # PROMETHEUS_MULTIPROC_DIR (importing erozgar.gunicorn_conf imports this module first).
    from erozgar import metrics

    metrics.task_failed(getattr(sender, "name", str(sender)))


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Each worker writes 'alive at <time>' to Redis from its main loop (read by /healthz).

    A timer in the worker's own loop, not a task: a busy pool does not delay it, and it stops
    when the main process stops or hangs, which is what the health check must notice.
    """

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        from erozgar.health import HEARTBEAT_SECONDS, record_worker_heartbeat

        record_worker_heartbeat(worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            HEARTBEAT_SECONDS, record_worker_heartbeat, (worker.hostname,), priority=10
        )

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


app.steps["worker"].add(WorkerHeartbeat)

# Every periodic job of the portal, in one place. Apps add their entries here.
app.conf.beat_schedule = {
    "beat-heartbeat": {"task": "erozgar.tasks.beat_heartbeat", "schedule": 60.0},
    # Rows stuck in "sending" past the lease, and rows whose send task was lost (Redis down).
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_outbox",
        "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "60")),
    },
    "outbox-purge-sent": {"task": "outbox.tasks.purge_sent_emails", "schedule": crontab(hour=4, minute=10)},
    "purge-expired-sessions": {
        "task": "erozgar.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "purge-expired-api-tokens": {
        "task": "accounts.tasks.purge_expired_api_tokens",
        "schedule": crontab(hour=3, minute=25),
    },
    "freelancers-expire-registrations": {
        "task": "freelancers.tasks.expire_registrations",
        "schedule": crontab(hour=0, minute=20),
    },
    "freelancers-expiry-reminders": {
        "task": "freelancers.tasks.send_expiry_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "bookings-release-no-shows": {"task": "bookings.tasks.release_no_shows", "schedule": 180.0},
    "bookings-complete-finished-stays": {
        "task": "bookings.tasks.complete_finished_stays",
        "schedule": crontab(hour=23, minute=50),
    },
    # Yesterday and today: late check-outs and the desk's corrections still change yesterday.
    "bookings-compute-occupancy": {
        "task": "bookings.tasks.compute_occupancy",
        "schedule": crontab(minute="*/15"),
    },
    # Claims each booking with a conditional UPDATE: overlapping runs still send one reminder.
    "bookings-send-reminders": {
        "task": "bookings.tasks.send_booking_reminders",
        "schedule": crontab(minute="*/10"),
    },
    "purge-idempotency-keys": {
        "task": "erozgar.tasks.purge_idempotency_keys",
        "schedule": crontab(hour=3, minute=40),
    },
}

_SCHEDULED_TASKS = {entry["task"] for entry in app.conf.beat_schedule.values()}
_task_started: dict[str, float] = {}


@task_postrun.connect
def _record_scheduled_job(sender: Any = None, task_id: str = "", state: str = "", **kwargs: Any) -> None:
    """The last run of each of beat's jobs, for the operations page (erozgar.operations)."""
    if sender is None or sender.name not in _SCHEDULED_TASKS:
        return
    from erozgar.operations import record_job_run

    started = _task_started.pop(task_id, None)
    record_job_run(sender.name, state or "", time.monotonic() - started if started else None)


@task_prerun.connect
def _note_start(sender: Any = None, task_id: str = "", **kwargs: Any) -> None:
    if sender is not None and sender.name in _SCHEDULED_TASKS:
        _task_started[task_id] = time.monotonic()
