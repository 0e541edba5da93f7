"""500s and failed tasks reach a person, with personal data scrubbed on the way."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.core import mail
from django.test import Client
from sentry_sdk.transport import Transport

from erozgar.celery import app as celery_app
from erozgar.monitoring import init_sentry, scrub_event, scrub_text

CNIC, MOBILE, EMAIL = "35202-1234567-3", "0300-1234567", "ayesha.khan@example.pk"
PERSONAL = {"cnic": CNIC, "mobile": MOBILE, "email": EMAIL}


def assert_scrubbed(text: str) -> None:
    for value in (CNIC, "3520212345673", MOBILE, "03001234567", "+923001234567", EMAIL):
        assert value not in text, value


def test_scrub_text_replaces_cnics_mobiles_and_emails_in_any_spelling() -> None:
    text = scrub_text(f"{CNIC} 3520212345673 {MOBILE} +92 300 1234567 923001234567 {EMAIL}")
    assert text == "[cnic] [cnic] [mobile] [mobile] [mobile] [email]"
    assert scrub_text("booking 1234 at 10:00, order 123456") == "booking 1234 at 10:00, order 123456"


@pytest.fixture
def error_mail(settings: Any) -> Any:
    settings.ADMINS = [("PSEB operations", "ops@pseb.test")]
    settings.ERROR_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    mail.outbox = []
    return settings


# --- Sentry: a real event from the SDK's Django integration -----------------------------------


class CapturingTransport(Transport):
    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Any) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry() -> Iterator[CapturingTransport]:
    transport = CapturingTransport()
    init_sentry("https://public@sentry.invalid/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: the SDK is off again


@pytest.mark.urls("tests.foundation.boom_urls")
def test_a_500_reaches_sentry_without_personal_data(
    db: Any, sentry: CapturingTransport, make_user: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(email=EMAIL))
    response = client.post("/boom/?mobile=" + MOBILE, PERSONAL, HTTP_AUTHORIZATION="Token secret-token")
    assert response.status_code == 500
    sentry_sdk.flush()
    assert len(sentry.events) == 1
    event = sentry.events[0]
    dumped = json.dumps(event)
    assert "RuntimeError" in dumped and "[cnic]" in dumped  # the error is there, the person is not
    assert_scrubbed(dumped)
    assert "secret-token" not in dumped and "user" not in event
    assert "cookies" not in event.get("request", {})


def test_the_scrubber_walks_a_whole_event() -> None:
    event = {
        "event_id": "0123456789abcdef0123456789abcdef",
        "message": f"failed for {CNIC}",
        "user": {"email": EMAIL, "ip_address": "203.0.113.9"},
        "request": {"data": PERSONAL, "query_string": f"mobile={MOBILE}", "cookies": {"sessionid": "abc"}},
        "extra": {"nested": [{"note": f"call {MOBILE}"}]},
        "breadcrumbs": {"values": [{"message": f"sent mail to {EMAIL}"}]},
    }
    cleaned = scrub_event(event)
    assert_scrubbed(json.dumps(cleaned))
    assert cleaned["event_id"] == event["event_id"] and "user" not in cleaned


# --- without Sentry: mail to ADMINS -------------------------------------------------------------


@pytest.mark.urls("tests.foundation.boom_urls")
def test_a_500_mails_the_admins_without_personal_data(db: Any, error_mail: Any) -> None:
    response = Client(raise_request_exception=False).post("/boom/", PERSONAL)
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@pseb.test"] and "RuntimeError" in message.body
    assert_scrubbed(message.subject + message.body + str(message.alternatives))


def test_error_mail_needs_no_database(error_mail: Any) -> None:
    """No db fixture: any query here would fail the test, so the mail cannot depend on the database."""
    logging.getLogger("django.request").error("database unreachable while saving %s", CNIC)
    assert len(mail.outbox) == 1 and "[cnic]" in mail.outbox[0].subject


@celery_app.task(name="tests.foundation.fail_loudly")
def fail_loudly(mobile: str) -> None:
    raise RuntimeError(f"SMS gateway refused {mobile}")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_failing_task_mails_the_admins(celery_worker_thread: Any, error_mail: Any, wait_for: Any) -> None:
    fail_loudly.delay(MOBILE)
    wait_for(lambda: mail.outbox)
    message = mail.outbox[0]
    assert "tests.foundation.fail_loudly" in message.subject and "RuntimeError" in message.body
    assert_scrubbed(message.subject + message.body)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_with_sentry_a_failing_task_is_not_mailed_twice(
    celery_worker_thread: Any, error_mail: Any, wait_for: Any
) -> None:
    error_mail.SENTRY_DSN = "https://public@sentry.invalid/1"
    result = fail_loudly.delay(MOBILE)
    wait_for(lambda: result.ready())
    assert mail.outbox == []
