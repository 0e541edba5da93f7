"""compute_occupancy through the real Celery worker, from the beat and from the admin's Recompute button."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from bookings.models import OccupancyHour
from bookings.tasks import compute_occupancy
from centres.hours import local_today
from tests.bookings.factories import BookingFactory, CabinFactory, at


def test_the_occupancy_job_is_in_the_beat_schedule_every_15_minutes() -> None:
    from erozgar.celery import app

    entry = next(
        e for e in app.conf.beat_schedule.values() if e["task"] == "bookings.tasks.compute_occupancy"
    )
    assert entry["schedule"].minute == {0, 15, 30, 45}
    app.loader.import_default_modules()
    assert "bookings.tasks.compute_occupancy" in app.tasks


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_a_given_day_and_a_second_run_changes_nothing(
    centre: Any, celery_worker_thread: Any
) -> None:
    day = local_today() - timedelta(days=3)
    cabin = CabinFactory(centre=centre)
    BookingFactory(space=cabin, starts_at=at(day, 10), ends_at=at(day, 12))

    assert compute_occupancy.delay(day.isoformat()).get(timeout=20) == 9
    first = list(OccupancyHour.objects.order_by("hour").values_list("id", "hour", "booked_minutes"))
    assert compute_occupancy.delay(day.isoformat()).get(timeout=20) == 9
    assert list(OccupancyHour.objects.order_by("hour").values_list("id", "hour", "booked_minutes")) == first
    assert {h: m for _id, h, m in first}[10] == 60


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_beat_run_covers_yesterday_and_today(centre: Any, celery_worker_thread: Any) -> None:
    CabinFactory(centre=centre)

    assert compute_occupancy.delay().get(timeout=20) == 18
    today = local_today()
    assert set(OccupancyHour.objects.values_list("day", flat=True)) == {today - timedelta(days=1), today}


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_recompute_button_queues_the_job_after_commit(
    client: Client, pseb_admin: Any, centre: Any, celery_worker_thread: Any, wait_for: Any
) -> None:
    CabinFactory(centre=centre)
    today = local_today()
    client.force_login(pseb_admin)

    response = client.post(
        "/admin/bookings/occupancyhour/recompute/",
        {"start": (today - timedelta(days=2)).isoformat(), "end": today.isoformat()},
        follow=True,
    )

    assert b"Recomputing occupancy for 3 days." in response.content
    wait_for(lambda: OccupancyHour.objects.values("day").distinct().count() == 3, timeout=30)
    assert OccupancyHour.objects.filter(centre=centre).count() == 27
