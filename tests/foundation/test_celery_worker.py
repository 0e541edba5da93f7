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


def test_email_task_is_idempotent_when_redelivered(celery_worker_thread: Any, mailoutbox: list[Any]) -> None:
    from erozgar.tasks import deliver_email

    payload = {
        "id": "same-message-twice",
        "subject": "s",
        "text": "t",
        "html": "<p>t</p>",
        "from_email": "a@example.pk",
        "to": ["b@example.pk"],
    }
    assert deliver_email.delay(payload).get(timeout=15) == "sent"
    assert deliver_email.delay(payload).get(timeout=15) == "already sent"
    assert len(mail.outbox) == 1
