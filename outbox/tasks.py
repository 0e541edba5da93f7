"""The outbox's worker tasks. Thin: they take row ids and call the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(ignore_result=True)
def send_email(email_id: int) -> str:
    """Send one outbox row (claimed first: a duplicate task or a second worker does nothing)."""
    return services.email_send(email_id=email_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Every minute: take back rows stuck in "sending", queue rows whose send task was lost."""
    return services.outbox_sweep().queued


@shared_task(ignore_result=True)
def purge_sent_emails() -> int:
    return services.emails_purge_sent(older_than=timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS))
