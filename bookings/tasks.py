"""Background jobs of the bookings app. Thin: each calls a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def purge_idempotency_keys() -> int:
    """Forget API idempotency keys older than a day (clients retry within minutes, not days)."""
    return services.idempotency_keys_purge()
