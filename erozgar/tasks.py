"""Portal-wide Celery tasks. Tasks are thin: they take plain data and call code elsewhere."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from erozgar.idempotency import idempotency_keys_purge

BEAT_KEY = "beat:last-seen"


@shared_task
def beat_heartbeat() -> str:
    """Proves beat is alive: /healthz reports when beat last ticked."""
    now = timezone.now().isoformat()
    cache.set(BEAT_KEY, now, timeout=None)
    return now


@shared_task
def purge_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def purge_idempotency_keys() -> int:
    """Forget API idempotency keys older than a day (clients retry within minutes, not days)."""
    return idempotency_keys_purge()
