"""Reads of the outbox: the backlog for the ops page, metrics and the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail


@dataclass(frozen=True)
class OutboxBacklog:
    unsent: int  # waiting or being sent
    sending: int  # claimed by a worker right now
    failed: int  # gave up after every attempt (or undeliverable): needs a person
    oldest_unsent_at: datetime | None
    oldest_unsent_age_seconds: float | None


def outbox_backlog(*, now: datetime | None = None) -> OutboxBacklog:
    """Counts of unsent and failed email and the age of the oldest unsent one, in one query.

    Only unsent and failed rows are read (index on status, created_at): sent history, however
    long, costs nothing here.
    """
    unsent = Q(status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
    row = OutgoingEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.FAILED]
    ).aggregate(
        unsent=Count("pk", filter=unsent),
        sending=Count("pk", filter=Q(status=EmailStatus.SENDING)),
        failed=Count("pk", filter=Q(status=EmailStatus.FAILED)),
        oldest=Min("created_at", filter=unsent),
    )
    oldest = row["oldest"]
    age = max(((now or timezone.now()) - oldest).total_seconds(), 0.0) if oldest else None
    return OutboxBacklog(
        unsent=row["unsent"],
        sending=row["sending"],
        failed=row["failed"],
        oldest_unsent_at=oldest,
        oldest_unsent_age_seconds=age,
    )
