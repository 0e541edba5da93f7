"""Reminder emails: a few hours before the start, once per booking, whatever runs at the same time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bookings.models import Booking, BookingStatus, Product
from bookings.reminders import REMINDER_LEAD, reminder_candidates, send_due_reminders
from centres.hours import local_today
from tests.bookings.factories import BookingFactory, CabinFactory, at
from tests.concurrency import run_at_once

# 09:00 in Lahore, a week from now: a fixed "now" for the tests that travel in time.
NOW = at(local_today() + timedelta(days=7), 9)


def book(
    space: Any, person: Any, starts_at: datetime, *, made_at: datetime | None = None, **extra: Any
) -> Booking:
    """A booking row made at ``made_at`` (a day before its start unless told), rules skipped on purpose."""
    booking = BookingFactory(
        space=space,
        centre=space.centre,
        user=person,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **extra,
    )
    made_at = made_at or starts_at - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(created_at=made_at)  # auto_now_add ignores a given value
    booking.refresh_from_db()
    return booking


@pytest.mark.django_db
def test_booking_starting_tomorrow_is_not_reminded_until_it_is_within_the_lead_time(
    cabin: Any, freelancer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booking = book(cabin, freelancer, NOW + timedelta(days=1), made_at=NOW - timedelta(days=2))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks() as callbacks:
        assert send_due_reminders() == 0
    assert callbacks == []
    with time_machine.travel(booking.starts_at - REMINDER_LEAD - timedelta(minutes=1), tick=False):
        assert send_due_reminders() == 0
    moment = booking.starts_at - timedelta(hours=2)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks() as callbacks:
        assert send_due_reminders() == 1
    assert len(callbacks) == 1  # one email, queued for after the commit
    booking.refresh_from_db()
    assert booking.reminder_sent_at == moment


@pytest.mark.django_db
def test_running_twice_sends_one_reminder(
    cabin: Any, freelancer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    booking = book(cabin, freelancer, NOW + timedelta(hours=2))
    with django_capture_on_commit_callbacks() as first:
        assert send_due_reminders(now=NOW) == 1
    with django_capture_on_commit_callbacks() as second:
        assert send_due_reminders(now=NOW + timedelta(minutes=10)) == 0
    assert (len(first), len(second)) == (1, 0)
    booking.refresh_from_db()
    assert booking.reminder_sent_at == NOW  # the first run's claim stands


@pytest.mark.django_db
def test_cancelled_checked_in_no_show_and_monthly_bookings_are_never_reminded(
    centre: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    soon = NOW + timedelta(hours=1)
    book(CabinFactory(centre=centre), make_user(), soon, status=BookingStatus.CANCELLED, cancelled_at=NOW)
    book(CabinFactory(centre=centre), make_user(), soon, status=BookingStatus.CHECKED_IN, checked_in_at=NOW)
    book(CabinFactory(centre=centre), make_user(), soon, status=BookingStatus.NO_SHOW)
    book(CabinFactory(centre=centre), make_user(), soon, status=BookingStatus.COMPLETED, checked_in_at=NOW)
    plan = BookingFactory(
        space=CabinFactory(centre=centre),
        centre=centre,
        user=make_user(),
        product=Product.MONTHLY,
        starts_at=soon,
        ends_at=soon + timedelta(days=30),
    )
    Booking.objects.filter(pk=plan.pk).update(created_at=NOW - timedelta(days=3))
    with django_capture_on_commit_callbacks() as callbacks:
        assert send_due_reminders(now=NOW) == 0
    assert callbacks == []
    assert not Booking.objects.filter(reminder_sent_at__isnull=False).exists()


@pytest.mark.django_db
def test_booking_made_thirty_minutes_before_its_start_gets_no_reminder(
    cabin: Any, freelancer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    starts_at = NOW + timedelta(minutes=30)
    book(cabin, freelancer, starts_at, made_at=NOW)  # the confirmation has just gone out
    with django_capture_on_commit_callbacks() as callbacks:
        assert send_due_reminders(now=NOW) == 0
        assert send_due_reminders(now=NOW + timedelta(minutes=20)) == 0
    assert callbacks == []


@pytest.mark.django_db
def test_booking_that_already_started_gets_no_reminder(cabin: Any, freelancer: Any) -> None:
    book(cabin, freelancer, NOW - timedelta(minutes=5))
    assert send_due_reminders(now=NOW) == 0


@pytest.mark.django_db
def test_candidates_with_person_space_and_centre_are_found_in_one_query(
    centre: Any, make_user: Any, django_assert_num_queries: Any
) -> None:
    for n in range(8):
        book(CabinFactory(centre=centre), make_user(), NOW + timedelta(minutes=20 * n + 10))
    with django_assert_num_queries(1):
        found = reminder_candidates(now=NOW)
        details = [(b.user.email, b.user.language, b.space.label, b.centre.name) for b in found]
    assert len(details) == 8
    assert [b.starts_at for b in found] == sorted(b.starts_at for b in found)


@pytest.mark.django_db
def test_each_reminder_costs_a_fixed_number_of_queries(
    centre: Any, make_user: Any, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for n in range(5):
        book(CabinFactory(centre=centre), make_user(), NOW + timedelta(hours=1, minutes=n))
    # 1 search + per booking: SAVEPOINT, conditional UPDATE, the outbox row's INSERT, RELEASE
    # (inside the test's transaction). Nothing is rendered here: the worker renders the email.
    with django_capture_on_commit_callbacks(), django_assert_num_queries(1 + 5 * 4):
        assert send_due_reminders(now=NOW) == 5


def test_reminder_job_runs_every_ten_minutes_in_the_beat_and_is_registered() -> None:
    from celery.schedules import crontab

    from erozgar.celery import app

    entry = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == "bookings.tasks.send_booking_reminders"
    )
    assert entry["schedule"] == crontab(minute="*/10")
    app.loader.import_default_modules()
    assert "bookings.tasks.send_booking_reminders" in app.tasks


def _reminded(ours: set[str]) -> list[Any]:
    """Mail to our people only: the worker is shared with other tests."""
    return [message for message in mail.outbox if message.to[0] in ours]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_reminder_is_sent_by_the_worker_in_each_persons_language_with_calendar_file_and_html(
    centre: Any, make_user: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    from bookings import tasks

    now = timezone.now().replace(second=0, microsecond=0)
    english = make_user(full_name="Ayesha Khan", language="en")
    urdu = make_user(full_name="Bilal Ahmed", language="ur")
    ours = {english.email, urdu.email}
    mine = book(CabinFactory(centre=centre), english, now + timedelta(hours=2))
    theirs = book(CabinFactory(centre=centre), urdu, now + timedelta(hours=2, minutes=30))
    assert tasks.send_booking_reminders.delay().get(timeout=20) == 2
    wait_for(lambda: len(_reminded(ours)) >= 2, timeout=30)

    message = next(m for m in _reminded(ours) if m.to == [english.email])
    assert message.subject.endswith(
        f"Reminder: booking {mine.reference} at Lahore Arfa Tower starts at "
        f"{timezone.localtime(mine.starts_at):%H:%M}"
    )
    assert "Assalam-o-Alaikum Ayesha" in message.body and "Your booking starts soon." in message.body
    assert f"/bookings/{mine.reference}/" in message.body
    assert "within 30 minutes of the start" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'lang="en"' in html and mine.reference in html and f"/bookings/{mine.reference}/" in html
    ((name, ics, ics_type),) = message.attachments
    assert (name, ics_type) == (f"erozgar-{mine.reference}.ics", "text/calendar")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == mine.starts_at
    assert event["status"] == "CONFIRMED"

    message = next(m for m in _reminded(ours) if m.to == [urdu.email])
    assert "یاد دہانی" in message.subject and theirs.reference in message.subject
    assert "السلام علیکم" in message.body and "آپ کی بکنگ جلد شروع ہو رہی ہے۔" in message.body
    html, _ = message.alternatives[0]
    assert 'dir="rtl"' in html and 'lang="ur"' in html
    assert message.attachments[0][0] == f"erozgar-{theirs.reference}.ics"

    assert tasks.send_booking_reminders.delay().get(timeout=20) == 0  # already reminded
    time.sleep(1.5)
    assert len(_reminded(ours)) == 2


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_exactly_one_reminder_per_booking(
    centre: Any, make_user: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    people = [make_user(language="ur" if n % 2 else "en") for n in range(8)]
    bookings = [
        book(CabinFactory(centre=centre), person, now + timedelta(hours=1, minutes=5 * n))
        for n, person in enumerate(people)
    ]
    results = run_at_once(lambda _: send_due_reminders(now=now), range(2))
    assert sum(results) == len(bookings)
    ours = {person.email for person in people}
    wait_for(lambda: len(_reminded(ours)) >= len(bookings), timeout=30)
    time.sleep(1.5)  # give a duplicate, if there were one, the time to arrive
    assert sorted(message.to[0] for message in _reminded(ours)) == sorted(ours)
    assert Booking.objects.filter(pk__in=[b.pk for b in bookings], reminder_sent_at=now).count() == len(
        bookings
    )
    from outbox.models import OutgoingEmail

    rows = OutgoingEmail.objects.filter(kind="bookings.reminder", object_id__in=[b.pk for b in bookings])
    assert sorted(rows.values_list("object_id", "status")) == sorted((b.pk, "sent") for b in bookings)
