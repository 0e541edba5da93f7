"""The scheduled jobs: no-show release (safe to run twice at once) and end-of-day completion."""

from __future__ import annotations

import time
from typing import Any

import pytest
import time_machine
from django.core import mail

from bookings.housekeeping import complete_finished_stays, release_no_shows
from bookings.models import BookingEvent, BookingStatus, Product
from bookings.services import booking_create
from erozgar.errors import Conflict
from tests.bookings.factories import CabinFactory
from tests.concurrency import run_at_once
from tests.desk.helpers import make_booking, today_at
from tests.freelancers.factories import RegistrationFactory


@pytest.fixture
def booking(cabin: Any, freelancer: Any) -> Any:
    """Cabin A, today (1 December 2026) 10:00-12:00, confirmed: released at 10:30 if nobody comes."""
    return make_booking(cabin, freelancer, today_at(10), today_at(12))


@pytest.mark.django_db
def test_confirmed_booking_past_grace_is_released_and_kept_for_reports(
    centre: Any, booking: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(today_at(10, 29), tick=False):
        assert release_no_shows() == 0
    with django_capture_on_commit_callbacks() as callbacks, time_machine.travel(today_at(10, 30), tick=False):
        assert release_no_shows() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    event = BookingEvent.objects.get(booking=booking, action=BookingEvent.Action.NO_SHOW)
    assert event.actor is None and event.from_status == "confirmed"
    assert len(callbacks) == 1  # one email queued after commit


@pytest.mark.django_db
def test_release_frees_the_space_at_once_for_someone_else(
    centre: Any, cabin: Any, booking: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other = RegistrationFactory(submitted=True).user

    def book_the_rest_of_the_morning() -> Any:
        return booking_create(user=other, space=cabin, starts_at=today_at(11), ends_at=today_at(12))

    with django_capture_on_commit_callbacks(), time_machine.travel(today_at(10, 31), tick=False):
        with pytest.raises(Conflict):
            book_the_rest_of_the_morning()  # still held: the release has not run
        release_no_shows()
        taken = book_the_rest_of_the_morning()
    assert (taken.user, taken.status) == (other, BookingStatus.CONFIRMED)


@pytest.mark.django_db
def test_checked_in_cancelled_and_monthly_bookings_are_not_released(
    centre: Any, cabin: Any, workstation: Any, freelancer: Any
) -> None:
    other = RegistrationFactory(submitted=True).user
    checked_in = make_booking(
        cabin,
        freelancer,
        today_at(9),
        today_at(10),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(9),
    )
    plan = make_booking(workstation, other, today_at(0), today_at(0, days=31), product=Product.MONTHLY)
    with time_machine.travel(today_at(12), tick=False):
        assert release_no_shows() == 0
    checked_in.refresh_from_db()
    plan.refresh_from_db()
    assert (checked_in.status, plan.status) == ("checked_in", "confirmed")


@pytest.mark.django_db
def test_end_of_day_completes_whoever_is_still_checked_in(centre: Any, cabin: Any, freelancer: Any) -> None:
    stayed = make_booking(
        cabin,
        freelancer,
        today_at(14),
        today_at(18),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=today_at(14),
    )
    with time_machine.travel(today_at(17, 0), tick=False):
        assert complete_finished_stays() == 0
    with time_machine.travel(today_at(23, 50), tick=False):
        assert complete_finished_stays() == 1
        assert complete_finished_stays() == 0
    stayed.refresh_from_db()
    assert stayed.status == BookingStatus.COMPLETED
    assert stayed.checked_out_at == today_at(18)
    assert BookingEvent.objects.filter(booking=stayed, action="completed").count() == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_no_show_job_run_twice_at_once_sends_one_email_per_booking(
    centre: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    people = [RegistrationFactory(submitted=True).user for _ in range(6)]
    people[0].language = "ur"
    people[0].save(update_fields=["language"])
    bookings = [
        make_booking(CabinFactory(centre=centre), person, today_at(9), today_at(11)) for person in people
    ]

    def run(_: int) -> int:
        with time_machine.travel(today_at(10), tick=True):
            return release_no_shows()

    results = run_at_once(run, range(2))
    assert sum(results) == len(bookings)
    emails = {person.email for person in people}

    def ours() -> list[Any]:  # the worker is shared: ignore mail other tests queued
        return [message for message in mail.outbox if message.to[0] in emails]

    wait_for(lambda: len(ours()) >= len(bookings), timeout=30)
    time.sleep(1.5)  # give a duplicate, if there were one, the time to arrive
    assert sorted(message.to[0] for message in ours()) == sorted(emails)
    assert BookingEvent.objects.filter(action="no_show").count() == len(bookings)
    from outbox.models import OutgoingEmail

    rows = OutgoingEmail.objects.filter(kind="bookings.no_show", object_id__in=[b.pk for b in bookings])
    assert sorted(rows.values_list("object_id", "status")) == sorted((b.pk, "sent") for b in bookings)
    urdu = next(message for message in ours() if message.to == [people[0].email])
    english = next(message for message in ours() if message.to == [people[1].email])
    assert "released" in english.subject
    assert "چھوڑ دی گئی" in urdu.subject  # the person's own language
    assert "السلام علیکم" in urdu.body


def test_housekeeping_jobs_are_in_the_beat_schedule_and_registered() -> None:
    from erozgar.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"bookings.tasks.release_no_shows", "bookings.tasks.complete_finished_stays"} <= tasks
    app.loader.import_default_modules()
    assert "bookings.tasks.release_no_shows" in app.tasks
    assert "bookings.tasks.complete_finished_stays" in app.tasks
    no_shows = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == "bookings.tasks.release_no_shows"
    )
    assert no_shows["schedule"] <= 300  # every few minutes: the space is freed soon after the grace ends


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_tasks_run_in_the_real_worker(centre: Any, celery_worker_thread: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from bookings import tasks

    now = timezone.now().replace(microsecond=0)
    overdue = make_booking(
        CabinFactory(centre=centre),
        RegistrationFactory(submitted=True).user,
        now - timedelta(hours=2),
        now - timedelta(hours=1),
    )
    stayed = make_booking(
        CabinFactory(centre=centre),
        RegistrationFactory(submitted=True).user,
        now - timedelta(hours=3),
        now - timedelta(hours=1),
        status=BookingStatus.CHECKED_IN,
        checked_in_at=now - timedelta(hours=3),
    )
    assert tasks.release_no_shows.delay().get(timeout=20) == 1
    assert tasks.complete_finished_stays.delay().get(timeout=20) == 1
    overdue.refresh_from_db()
    stayed.refresh_from_db()
    assert (overdue.status, stayed.status) == ("no_show", "completed")
