"""PSEB admins read the outbox and retry failed email; an API retry never doubles or loses an email."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking
from outbox import services
from outbox.models import EmailStatus, OutgoingEmail
from tests.bookings.factories import tomorrow_at

LIST = "/admin/outbox/outgoingemail/"


def _failed(to: str) -> OutgoingEmail:
    (email,) = services.email_queue_message(EmailMessage("Welcome", "t", None, [to]))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, attempts=8, last_error="SMTPRecipientsRefused: mailbox full"
    )
    return email


@pytest.mark.django_db
def test_a_pseb_admin_sees_the_backlog_statuses_and_errors(
    client: Client, pseb_admin: Any, django_assert_max_num_queries: Any
) -> None:
    _failed("a@example.pk")
    services.email_queue_message(EmailMessage("Hello", "t", None, ["b@example.pk"]))
    client.force_login(pseb_admin)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 email waiting to be sent" in html and "1 failed" in html
    assert "mailbox full" in html and "Waiting to be sent" in html
    assert "Send the selected failed emails again" in html
    assert client.get(f"{LIST}add/").status_code == 403


@pytest.mark.django_db
def test_a_pseb_admin_retries_a_failed_email_and_is_told_what_was_skipped(
    client: Client, pseb_admin: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    handed: list[int] = []
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: handed.extend(ids) or len(ids))
    failed = _failed("a@example.pk")
    (waiting,) = services.email_queue_message(EmailMessage("Hello", "t", None, ["b@example.pk"]))
    client.force_login(pseb_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST, {"action": "retry_failed", "_selected_action": [failed.pk, waiting.pk]}, follow=True
        )
    html = response.content.decode()
    assert "1 email will be sent again." in html
    assert "1 email was not retried: only failed emails can be." in html
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (EmailStatus.PENDING, 0)
    assert handed[-1:] == [failed.pk]
    assert services.email_send(email_id=failed.pk) == "sent"


@pytest.mark.django_db
def test_staff_who_may_only_read_cannot_retry(client: Client, make_user: Any) -> None:
    reader = make_user(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    failed = _failed("a@example.pk")
    client.force_login(reader)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Send the selected failed emails again" not in response.content.decode()
    client.post(LIST, {"action": "retry_failed", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED


@pytest.mark.django_db
def test_centre_staff_freelancers_and_strangers_cannot_see_the_outbox(
    client: Client, clerk: Any, freelancer: Any
) -> None:
    assert client.get(LIST).status_code == 302
    for person in (clerk, freelancer):
        client.force_login(person)
        response = client.get(LIST)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_an_idempotent_retry_neither_doubles_nor_loses_the_confirmation(
    cabin: Any, freelancer: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(freelancer)[1]}")
    body = {
        "space": cabin.pk,
        "starts_at": tomorrow_at(10).isoformat(),
        "ends_at": tomorrow_at(11).isoformat(),
    }
    answers = [
        api.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="once-please")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    booking = Booking.objects.get()
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.object_id) == ("bookings.confirmation", booking.pk)
    wait_for(lambda: OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists())
    mine = [m for m in mail.outbox if m.to == [freelancer.email]]
    assert len(mine) == 1 and booking.reference in mine[0].subject
