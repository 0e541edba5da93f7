"""The outbox: one row per email in the change's transaction, claimed once, retried, swept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.functions import Now
from django.test.signals import template_rendered

from bookings.models import Booking
from bookings.services import booking_create
from outbox import services
from outbox.models import EmailStatus, OutgoingEmail
from outbox.selectors import outbox_backlog
from outbox.services import MAX_ATTEMPTS, email_queue_message, email_send, outbox_sweep
from tests.bookings.factories import tomorrow_at
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def _book(cabin: Any, person: Any, hour: int = 10) -> Booking:
    return booking_create(
        user=person, space=cabin, starts_at=tomorrow_at(hour), ends_at=tomorrow_at(hour + 1)
    )


def test_a_booking_inserts_one_outbox_row_and_renders_nothing(
    cabin: Any, freelancer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rendered: list[str] = []

    def seen(sender: Any, template: Any, **kwargs: Any) -> None:
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            booking = _book(cabin, freelancer)
    finally:
        template_rendered.disconnect(seen)
    assert rendered == []  # no subject, body, QR or calendar file in the request
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.object_id, email.recipient, email.language) == (
        "bookings.confirmation",
        booking.pk,
        freelancer.email,
        freelancer.language,
    )
    assert (email.status, email.attempts, email.params, email.subject) == (EmailStatus.PENDING, 0, {}, "")
    # Only after the commit: the send task is queued, and the booking counted for /metrics.
    assert len(callbacks) == 2


def test_the_email_costs_the_booking_one_insert(
    cabin: Any, freelancer: Any, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _book(cabin, freelancer, 10)  # warm caches (content types, the person's standing)
    with django_capture_on_commit_callbacks(), django_assert_num_queries(7) as captured:
        _book(cabin, freelancer, 13)
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert sum('"outbox_outgoingemail"' in sql for sql in inserts) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_booking_leaves_no_email(cabin: Any, freelancer: Any) -> None:
    with transaction.atomic():
        _book(cabin, freelancer)
        transaction.set_rollback(True)
    assert not OutgoingEmail.objects.exists()


def test_the_worker_renders_the_confirmation_from_the_booking_id(
    cabin: Any, freelancer: Any, mailoutbox: list[Any]
) -> None:
    booking = _book(cabin, freelancer)
    email = OutgoingEmail.objects.get()
    assert email_send(email_id=email.pk) == "sent"
    (message,) = mail.outbox
    assert booking.reference in message.subject and "Rs 200" in message.body
    assert {name for name, _c, _t in message.attachments} == {
        f"qr-{booking.reference}.png",
        f"erozgar-{booking.reference}.ics",
    }
    assert (
        message.extra_headers["Message-ID"]
        == f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@erozgar.example.pk>"
    )
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None
    assert email.subject == message.subject and email.attempts == 1


def test_a_sent_row_is_never_sent_again(cabin: Any, freelancer: Any, mailoutbox: list[Any]) -> None:
    _book(cabin, freelancer)
    email = OutgoingEmail.objects.get()
    assert [email_send(email_id=email.pk) for _ in range(3)] == ["sent", "skipped", "skipped"]
    assert outbox_sweep().queued == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_and_two_sweepers_at_once_send_each_email_once(
    cabin: Any, freelancer: Any, make_user: Any, mailoutbox: list[Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: len(ids))  # no worker in this test
    people = [make_user() for _ in range(6)]
    rows = [email_queue_message(EmailMessage("hello", "t", None, [p.email]))[0] for p in people]
    # Half are stuck in "sending" past the lease (a dead worker), half wait to be sent.
    stuck = [r.pk for r in rows[:3]]
    OutgoingEmail.objects.filter(pk__in=stuck).update(
        status=EmailStatus.SENDING, claimed_at=Now() - timedelta(hours=1), claimed_by="dead:1", attempts=1
    )
    OutgoingEmail.objects.update(enqueued_at=None)

    def race(who: str) -> Any:
        if who.startswith("sweep"):
            return outbox_sweep()
        return [email_send(email_id=r.pk, sender=who) for r in rows]

    run_at_once(race, ["sweep-1", "sweep-2", "sender-1", "sender-2"])
    # Whatever the senders missed (rows the sweepers had not released yet) the next run sends.
    for row in rows:
        email_send(email_id=row.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 6


def test_a_failed_attempt_backs_off_and_the_last_one_gives_up(
    freelancer: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.outbox.backends.RefusingBackend"
    (email,) = email_queue_message(EmailMessage("s", "t", None, [freelancer.email]))
    assert email_send(email_id=email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error and email.enqueued_at is None
    wait = OutgoingEmail.objects.filter(pk=email.pk, next_attempt_at__gt=Now() + timedelta(seconds=55))
    assert wait.exists()  # about a minute before the next try
    assert email_send(email_id=email.pk) == "skipped"  # not due yet
    assert outbox_sweep().queued == 0  # nor for the sweeper

    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1, next_attempt_at=Now())
    assert email_send(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == MAX_ATTEMPTS
    assert mail.outbox == []


def test_an_email_about_a_booking_that_is_gone_fails_without_retries(
    cabin: Any, freelancer: Any, mailoutbox: list[Any]
) -> None:
    booking = _book(cabin, freelancer)
    Booking.objects.filter(pk=booking.pk).delete()
    email = OutgoingEmail.objects.get()
    assert email_send(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "no longer exists" in email.last_error


def test_a_stuck_row_is_taken_back_after_the_lease_and_keeps_its_message_id(
    freelancer: Any, mailoutbox: list[Any], monkeypatch: Any, settings: Any
) -> None:
    handed: list[int] = []
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: handed.extend(ids) or len(ids))
    settings.OUTBOX_LEASE_SECONDS = 300
    (email,) = email_queue_message(EmailMessage("s", "t", None, [freelancer.email]))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=Now() - timedelta(seconds=200), claimed_by="w:1", attempts=1
    )
    assert outbox_sweep().released == 0  # still within the lease: the worker may be sending
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=Now() - timedelta(seconds=301))
    assert outbox_sweep().released == 1
    assert handed == [email.pk]
    assert email_send(email_id=email.pk) == "sent"
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<outbox.{email.pk}.")


def test_the_sweeper_queues_a_lost_row_once_per_requeue_interval(
    freelancer: Any, monkeypatch: Any, settings: Any
) -> None:
    handed: list[int] = []
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: handed.extend(ids) or len(ids))
    (email,) = email_queue_message(EmailMessage("s", "t", None, [freelancer.email]))
    assert outbox_sweep().queued == 0  # just queued by its request: give that task its chance
    OutgoingEmail.objects.filter(pk=email.pk).update(enqueued_at=Now() - timedelta(seconds=61))
    assert (outbox_sweep().queued, outbox_sweep().queued) == (1, 0)
    assert handed == [email.pk]


def test_a_rendered_message_keeps_no_body_once_sent(freelancer: Any, mailoutbox: list[Any]) -> None:
    (email,) = email_queue_message(
        EmailMessage("Reset your password", "https://x/reset/secret-token/", None, [freelancer.email])
    )
    assert email.params["text"].endswith("secret-token/")
    email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.params == {} and email.subject == "Reset your password"
    assert "secret-token" in mail.outbox[0].body


def test_the_backlog_counts_unsent_and_failed_email_in_one_query(
    freelancer: Any, django_assert_num_queries: Any
) -> None:
    assert outbox_backlog().unsent == 0 and outbox_backlog().oldest_unsent_age_seconds is None
    rows = [email_queue_message(EmailMessage("s", "t", None, [freelancer.email]))[0] for _ in range(4)]
    OutgoingEmail.objects.filter(pk=rows[0].pk).update(created_at=Now() - timedelta(minutes=10))
    OutgoingEmail.objects.filter(pk=rows[1].pk).update(status=EmailStatus.FAILED)
    OutgoingEmail.objects.filter(pk=rows[2].pk).update(status=EmailStatus.SENT, sent_at=Now())
    with django_assert_num_queries(1):
        backlog = outbox_backlog()
    assert (backlog.unsent, backlog.sending, backlog.failed) == (2, 0, 1)
    assert backlog.oldest_unsent_age_seconds is not None and 590 < backlog.oldest_unsent_age_seconds < 700


def test_the_request_id_is_stored_on_the_row(client: Any, db: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "with-id@example.pk",
            "password1": "Sturdy-Pass-Word-77",
            "password2": "Sturdy-Pass-Word-77",
        },
        HTTP_X_REQUEST_ID="req-0123456789abcdef",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-0123456789abcdef"
    email = OutgoingEmail.objects.get(recipient="with-id@example.pk")
    assert email.request_id == "req-0123456789abcdef" and email.kind == "rendered"
