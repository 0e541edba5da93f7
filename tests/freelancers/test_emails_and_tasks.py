"""Status emails in the freelancer's language, sent by the real Celery worker after commit; nightly jobs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction

from freelancers import lifecycle, tasks
from freelancers.models import Registration
from tests.freelancers.factories import RegistrationFactory, UserFactory


def _reviewer() -> Any:
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_registration"))
    return user


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_each_decision_emails_the_freelancer_in_urdu_through_the_worker(
    celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    user = UserFactory(language="ur", email="sana.ur@example.pk")
    registration = RegistrationFactory(user=user, submitted=True, with_documents=True)
    reviewer = _reviewer()
    lifecycle.registration_request_changes(
        registration=registration, actor=reviewer, reason="تصویر دھندلی ہے"
    )
    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert message.to == ["sana.ur@example.pk"]
    assert "تبدیلیاں" in message.subject and "تصویر دھندلی ہے" in message.body
    lifecycle.registration_submit(registration=registration, actor=user)
    lifecycle.registration_approve(registration=registration, actor=reviewer)
    approved = wait_for(lambda: next((m for m in mail.outbox if "منظور" in m.subject), None))
    registration.refresh_from_db()
    assert str(registration.registration_number) in approved.body
    assert "/registration/certificate/" in approved.body
    html = [content for content, kind in approved.alternatives if kind == "text/html"]
    assert html and "<html" in html[0]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_no_email_when_the_decision_is_rolled_back(celery_worker_thread: Any, mailoutbox: list[Any]) -> None:
    registration = RegistrationFactory(submitted=True)
    reviewer = _reviewer()
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.registration_reject(registration=registration, actor=reviewer, reason="No")
        raise RuntimeError("something later failed")
    import time

    time.sleep(1.5)
    assert mail.outbox == []
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


@pytest.mark.django_db
def test_expiry_task_expires_only_registrations_past_validity(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ending = RegistrationFactory(approved=True)
    RegistrationFactory(approved=True, approved_at=ending.approved_at + datetime.timedelta(days=10))
    with (
        time_machine.travel(ending.valid_until + datetime.timedelta(days=1, hours=12)),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assert tasks.expire_registrations() == 1
        assert tasks.expire_registrations() == 0
    assert len(callbacks) == 1  # one "expired" email
    assert Registration.objects.get(pk=ending.pk).status == "expired"


@pytest.mark.django_db
def test_reminder_is_sent_once_30_days_before_expiry(django_capture_on_commit_callbacks: Any) -> None:
    registration = RegistrationFactory(approved=True)
    with time_machine.travel(registration.valid_until - datetime.timedelta(days=31)):
        assert tasks.send_expiry_reminders() == 0
    with (
        time_machine.travel(registration.valid_until - datetime.timedelta(days=30)),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assert tasks.send_expiry_reminders() == 1
        assert tasks.send_expiry_reminders() == 0
    assert len(callbacks) == 1
    # A missed day is caught up the next night, still only once.
    with time_machine.travel(registration.valid_until - datetime.timedelta(days=29)):
        assert tasks.send_expiry_reminders() == 0


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_reminder_email_names_the_end_date_and_the_renewal_page(
    celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    registration = RegistrationFactory(approved=True)
    with time_machine.travel(registration.valid_until - datetime.timedelta(days=30)):
        assert tasks.send_expiry_reminders.delay().get(timeout=15) == 1
    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert "expires in 30 days" in message.subject
    assert str(registration.registration_number) in message.body and "/registration/" in message.body
