"""The confirmation email is queued after commit and sent by the real worker, with QR and .ics attached."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from icalendar import Calendar

from bookings.services import booking_create
from tests.bookings.factories import tomorrow_at

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_booking_sends_a_confirmation_with_qr_and_calendar_file(
    cabin: Any, freelancer: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    booking = booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    message = wait_for(lambda: mail.outbox[0] if mail.outbox else None)
    assert message.to == [freelancer.email]
    assert booking.reference in message.subject
    assert booking.reference in message.body and "Rs 400" in message.body
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    png, png_type = names[f"qr-{booking.reference}.png"]
    assert png_type == "image/png" and png.startswith(b"\x89PNG")
    ics, _ = names[f"erozgar-{booking.reference}.ics"]
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at


def test_a_rolled_back_booking_sends_nothing(
    cabin: Any, freelancer: Any, celery_worker_thread: Any, mailoutbox: list[Any]
) -> None:
    with transaction.atomic():
        booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
        transaction.set_rollback(True)
    import time

    time.sleep(1.5)
    assert mail.outbox == []


def test_staff_cancelling_tells_the_person_why(
    cabin: Any, freelancer: Any, clerk: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    from bookings.services import booking_cancel

    booking = booking_create(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    booking_cancel(booking=booking, actor=clerk, reason="Power outage in the building")
    message = wait_for(lambda: mail.outbox[0] if mail.outbox else None)
    assert message.to == [freelancer.email]
    assert "cancelled" in message.subject and booking.reference in message.subject
    assert "Power outage in the building" in message.body
    ics = next(content for name, content, _ in message.attachments if name.endswith(".ics"))
    assert Calendar.from_ical(ics).walk("VEVENT")[0]["status"] == "CANCELLED"


def test_cancelling_your_own_booking_sends_a_receipt_of_it_with_the_calendar_entry_removed(
    cabin: Any, freelancer: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    from bookings.services import booking_cancel

    booking = booking_create(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    booking_cancel(booking=booking, actor=freelancer)
    message = wait_for(lambda: mail.outbox[0] if mail.outbox else None)
    assert message.to == [freelancer.email]
    assert message.subject.endswith(f"You cancelled booking {booking.reference} at {cabin.centre.name}")
    assert "Your booking is cancelled, as you asked." in message.body
    ics = next(content for name, content, _ in message.attachments if name.endswith(".ics"))
    assert Calendar.from_ical(ics).walk("VEVENT")[0]["status"] == "CANCELLED"


def test_the_confirmation_speaks_the_persons_language(
    cabin: Any, freelancer: Any, celery_worker_thread: Any, wait_for: Any, mailoutbox: list[Any]
) -> None:
    freelancer.language = "ur"
    freelancer.save(update_fields=["language"])
    booking = booking_create(user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12))
    message = wait_for(lambda: mail.outbox[0] if mail.outbox else None)
    assert f"بکنگ {booking.reference} کی" in message.subject
    assert "آپ کی بکنگ کی تصدیق ہو گئی ہے۔" in message.body
