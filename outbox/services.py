"""Writes of the outbox: queue an email in the caller's transaction, send one row, sweep.

Exactly once, and where that ends:

* ``email_queue`` inserts the row inside the caller's transaction: a booking that commits
  has its email row, a rolled-back one has none. After the commit it *tries* to hand a
  send task to the broker; the try never waits on Redis (no retries, short timeouts) and a
  failure is logged, not raised: the sweeper queues the row again later.
* ``email_send`` claims the row with a conditional UPDATE (pending and due -> sending);
  only the caller whose UPDATE changed the row renders and sends it, so duplicate tasks,
  two workers or two sweepers never send one row twice.
* ``outbox_sweep`` (beat, every minute) puts rows stuck in "sending" longer than the lease
  back to pending and hands due rows whose task was lost (Redis down, a killed worker)
  to the worker again.
* The boundary: a worker killed after the mail server accepted the message but before
  the row was marked sent leaves the row in "sending"; after the lease it is sent again.
  The window is the one UPDATE after SMTP's reply, and both copies carry the same
  Message-ID (derived from the row), so receivers that deduplicate drop the second.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now

from erozgar.observability import bound_request_id, current_request_id

from .models import RENDERED, EmailStatus, OutgoingEmail
from .rendering import Undeliverable, is_known_kind, payload_from_message, render_email

logger = logging.getLogger(__name__)

# After this many attempts a row is marked failed (an admin can retry it).
MAX_ATTEMPTS = 8
# First retry after a minute, doubling, at most an hour apart: about 3 hours in all.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_LONGEST = timedelta(hours=1)
# The sweeper hands at most this many rows to the worker per run; the next run takes the rest.
SWEEP_BATCH = 500
# One try, no retries: a request must never wait for a broker that is down.
PUBLISH_RETRY_POLICY = {"max_retries": 0}


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _requeue_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_REQUEUE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_LONGEST)


def sender_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


# --- queueing -------------------------------------------------------------------------------


def email_queue(
    *,
    kind: str,
    to: str,
    language: str,
    object_id: int | None = None,
    params: dict[str, Any] | None = None,
    subject: str = "",
) -> OutgoingEmail | None:
    """One email to ``to``, rendered by the worker from ``kind`` and ``object_id`` in ``language``.

    One INSERT in the caller's transaction; the send task is queued after the commit.
    """
    if not to:
        return None
    if not is_known_kind(kind):
        raise ValueError(f"unknown email kind {kind!r}")
    email = OutgoingEmail.objects.create(
        kind=kind,
        object_id=object_id,
        recipient=to,
        language=language or settings.LANGUAGE_CODE,
        params=params or {},
        subject=subject[:255],
        request_id=current_request_id(),
    )
    transaction.on_commit(lambda: hand_to_worker([email.pk]), robust=True)
    return email


def email_queue_message(message: EmailMessage, *, language: str = "") -> list[OutgoingEmail]:
    """A message already rendered (allauth's account emails): one row per recipient."""
    payload = payload_from_message(message)
    return [
        email
        for to in message.to
        if (
            email := email_queue(
                kind=RENDERED, to=to, language=language, params=payload, subject=payload["subject"]
            )
        )
    ]


def hand_to_worker(ids: Sequence[int]) -> int:
    """Queue a send task per row; returns how many were queued. Never raises, never waits.

    When the broker is down the rows are marked "not queued" (``enqueued_at`` empty), so the
    sweeper's next run picks them up as soon as the worker runs again.
    """
    from .tasks import send_email

    queued = 0
    try:
        for pk in ids:
            send_email.apply_async((pk,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
            queued += 1
    except Exception as exc:  # noqa: BLE001 - the broker is down: the sweeper sends these later
        left = list(ids[queued:])
        logger.warning(
            "outbox: could not queue %s email(s) %s (%s: %s); the sweeper will send them",
            len(left),
            left[:20],
            type(exc).__name__,
            exc,
        )
        try:
            OutgoingEmail.objects.filter(pk__in=left, status=EmailStatus.PENDING).update(enqueued_at=None)
        except Exception:  # noqa: BLE001 - at worst the sweeper waits OUTBOX_REQUEUE_SECONDS longer
            logger.exception("outbox: could not mark email(s) %s as not queued", left[:20])
    return queued


# --- sending --------------------------------------------------------------------------------


def email_send(*, email_id: int, sender: str | None = None) -> str:
    """Claim, render and send one row. Returns what happened: sent, skipped, retry or failed."""
    sender = sender or sender_name()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.PENDING, next_attempt_at__lte=Now()
    ).update(status=EmailStatus.SENDING, claimed_at=Now(), claimed_by=sender, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"  # sent already, being sent, waiting for its retry, or gone
    email = OutgoingEmail.objects.get(pk=email_id)
    with bound_request_id(email.request_id):
        return _send_claimed(email, sender)


def _send_claimed(email: OutgoingEmail, sender: str) -> str:
    email_id = email.pk
    # Every later write names this claim: a row the sweeper took back is not ours to mark.
    mine = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.SENDING, claimed_by=sender, attempts=email.attempts
    )
    try:
        message = render_email(email)
        message.send()
    except Undeliverable as exc:
        mine.update(status=EmailStatus.FAILED, last_error=str(exc)[:2000], claimed_by="")
        logger.error("outbox: email %s (%s) cannot be sent: %s", email.pk, email.kind, exc)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - SMTP, templates, time limits: retry with backoff
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            mine.update(status=EmailStatus.FAILED, last_error=error, claimed_by="")
            logger.error("outbox: email %s (%s) failed for good: %s", email.pk, email.kind, error)
            return "failed"
        mine.update(
            status=EmailStatus.PENDING,
            next_attempt_at=Now() + backoff(email.attempts),
            enqueued_at=None,
            last_error=error,
            claimed_by="",
        )
        logger.warning(
            "outbox: email %s (%s) attempt %s failed: %s", email.pk, email.kind, email.attempts, error
        )
        return "retry"
    changes: dict[str, Any] = {
        "status": EmailStatus.SENT,
        "sent_at": Now(),
        "last_error": "",
        "subject": str(message.subject)[:255],
    }
    if email.kind == RENDERED:
        changes["params"] = {}  # the body may hold a sign-in or reset link: keep no copy once sent
    if not mine.update(**changes):
        logger.warning(
            "outbox: email %s was sent but its claim had expired; it may be sent once more", email.pk
        )
    logger.info(
        "outbox: sent email %s (%s) attempt %s request_id=%s",
        email.pk,
        email.kind,
        email.attempts,
        email.request_id or "-",
    )
    return "sent"


# --- sweeping -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    released: int  # stuck in "sending" past the lease, back to pending
    gave_up: int  # stuck past the lease on their last attempt: failed
    queued: int  # handed to the worker


def outbox_sweep(*, batch: int = SWEEP_BATCH) -> SweepResult:
    """Take back stuck rows and queue due rows whose task is lost. Safe to run twice at once."""
    stuck = OutgoingEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=Now() - _lease())
    gave_up = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED,
        claimed_by="",
        last_error="The worker sending it stopped before it finished, on the last attempt.",
    )
    released = stuck.update(
        status=EmailStatus.PENDING,
        next_attempt_at=Now(),
        enqueued_at=None,
        claimed_by="",
        last_error="The worker sending it stopped before it finished; sending again.",
    )
    if released or gave_up:
        logger.warning("outbox: %s stuck email(s) taken back, %s failed", released, gave_up)
    with transaction.atomic():
        # Two sweepers skip each other's rows, so a row is handed to the worker once per run.
        ids = list(
            OutgoingEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=Now())
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=Now() - _requeue_after()))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            OutgoingEmail.objects.filter(pk__in=ids).update(enqueued_at=Now())
    queued = hand_to_worker(ids) if ids else 0
    return SweepResult(released=released, gave_up=gave_up, queued=queued)


def emails_retry(*, ids: Iterable[int]) -> int:
    """An admin's retry: failed rows go back to pending with a fresh set of attempts."""
    retried = list(
        OutgoingEmail.objects.filter(pk__in=list(ids), status=EmailStatus.FAILED).values_list("pk", flat=True)
    )
    changed = OutgoingEmail.objects.filter(pk__in=retried, status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, attempts=0, next_attempt_at=Now(), enqueued_at=Now()
    )
    if changed:
        transaction.on_commit(lambda: hand_to_worker(retried), robust=True)
    return changed


def emails_purge_sent(*, older_than: timedelta) -> int:
    """Forget sent rows older than ``older_than`` (the admin's history, not needed forever)."""
    deleted, _rows = OutgoingEmail.objects.filter(
        status=EmailStatus.SENT, sent_at__lt=Now() - older_than
    ).delete()
    return deleted


def emails_forget_recipient(*, email: str) -> int:
    """Drop every stored email to an address (after its owner's data was erased).

    Sent rows have done their job; unsent ones must not reach an erased person. A row being
    sent right now is left to finish: its claim holds it, and the sweeper's next pass over
    that address would not find it again because the account's address has changed.
    """
    deleted, _counts = (
        OutgoingEmail.objects.filter(recipient__iexact=email).exclude(status=EmailStatus.SENDING).delete()
    )
    return deleted
