"""PSEB's operations page: queues and workers, the last run of each of beat's jobs, the backlog."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache.backends.redis import RedisCache
from django.core.mail import EmailMessage
from django.test import Client

from erozgar import health, operations
from outbox import services
from tests.concurrency import wait_until

PAGE = "/admin/operations/"


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_staff_who_may_not_read_outgoing_email_are_refused(client: Client, make_user: Any) -> None:
    clerk = make_user("clerk@pseb.test", is_staff=True)
    client.force_login(clerk)
    assert client.get(PAGE).status_code == 403


@pytest.mark.django_db
def test_staff_who_may_read_outgoing_email_see_it(client: Client, make_user: Any) -> None:
    reader = make_user("ops@pseb.test", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    client.force_login(reader)
    assert client.get(PAGE).status_code == 200


@pytest.mark.django_db
def test_a_pseb_admin_sees_queues_jobs_and_the_outbox_backlog(
    client: Client, pseb_admin: Any, monkeypatch: Any, django_assert_max_num_queries: Any
) -> None:
    monkeypatch.setattr(services, "hand_to_worker", lambda ids: 0)  # the emails stay waiting
    for to in ("a@example.pk", "b@example.pk"):
        services.email_queue_message(EmailMessage("Hello", "t", None, [to]))
    client.force_login(pseb_admin)
    with django_assert_max_num_queries(6):
        response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Waiting in “celery”" in html and "Taken by a worker, not finished" in html
    assert "2 emails waiting to be sent" in html and "0 failed" in html
    # Every job of beat's schedule is listed; none has run since the cache was emptied.
    assert "outbox-sweep" in html and "bookings-release-no-shows" in html and "every 180 s" in html
    assert "not yet" in html


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_job_run_by_the_worker_shows_when_it_finished_and_how(
    client: Client, pseb_admin: Any, celery_worker_thread: Any
) -> None:
    from outbox.tasks import sweep_outbox

    sweep_outbox.delay()

    def recorded() -> Any:
        return next((j for j in operations.job_runs(_schedule()) if j.task == sweep_outbox.name), None)

    wait_until(lambda: recorded().finished_at, timeout=30, what="the worker records the sweep")
    row = recorded()
    assert row.state == "SUCCESS" and row.runtime_seconds is not None
    # Each test starts with an empty cache: wait for the worker's next heartbeat too.
    wait_until(lambda: celery_worker_thread.hostname in health.worker_heartbeats(), timeout=10)
    client.force_login(pseb_admin)
    html = client.get(PAGE).content.decode()
    assert "SUCCESS" in html
    assert celery_worker_thread.hostname in html  # its heartbeat, "alive"


def _schedule() -> dict[str, Any]:
    from erozgar.celery import app

    return app.conf.beat_schedule


@pytest.mark.django_db
def test_the_page_answers_when_redis_is_down(
    client: Client, pseb_admin: Any, monkeypatch: Any, settings: Any
) -> None:
    dead = RedisCache("redis://127.0.0.1:1/0", {})
    client.force_login(pseb_admin)  # the session lives in the database too
    monkeypatch.setattr(health, "cache", dead)
    monkeypatch.setattr(operations, "cache", dead)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Redis does not answer: the queue lengths are unknown." in html
    assert "Redis does not answer: the last runs are unknown." in html
    assert "0 emails waiting to be sent" in html


@pytest.mark.django_db
def test_the_page_reads_in_urdu(client: Client, pseb_admin: Any) -> None:
    client.force_login(pseb_admin)
    client.cookies["erozgar_language"] = "ur"
    html = client.get(PAGE, headers={"accept-language": "ur"}).content.decode()
    assert "کاموں کی قطاریں" in html and "طے شدہ کام" in html
