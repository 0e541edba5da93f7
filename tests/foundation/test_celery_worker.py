"""A task queued by a request runs in a real worker on the real broker (not ALWAYS_EAGER)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_signup_request_queues_verification_email_that_the_worker_sends(
    client: Client, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    from erozgar.celery import app

    assert app.conf.task_always_eager is False
    response = client.post(
        "/accounts/signup/",
        {
            "email": "worker-demo@example.pk",
            "password1": "Sturdy-Pass-Word-77",
            "password2": "Sturdy-Pass-Word-77",
        },
    )
    assert response.status_code == 302
    message = wait_for(lambda: mail.outbox[0] if mail.outbox else None)
    assert message.to == ["worker-demo@example.pk"]
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert html and "<html" in html[0]
    assert "/accounts/confirm-email/" in message.body


def test_a_send_task_delivered_twice_sends_the_email_once(
    celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    from django.core.mail import EmailMessage

    from outbox.models import EmailStatus, OutgoingEmail
    from outbox.services import email_queue_message
    from outbox.tasks import send_email

    (email,) = email_queue_message(EmailMessage("s", "t", "a@example.pk", ["b@example.pk"]))
    wait_for(lambda: OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists())
    send_email.delay(email.pk)  # a redelivered task finds the row sent and does nothing
    send_email.delay(email.pk)
    # One worker takes tasks in order: once a later email is sent, both duplicates were run.
    (later,) = email_queue_message(EmailMessage("later", "t", "a@example.pk", ["c@example.pk"]))
    wait_for(lambda: OutgoingEmail.objects.filter(pk=later.pk, status=EmailStatus.SENT).exists())
    assert [m.to for m in mail.outbox] == [["b@example.pk"], ["c@example.pk"]]
