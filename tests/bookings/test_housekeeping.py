"""Stored API answers are forgotten after a day, by a task the beat schedule runs nightly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from bookings.models import IdempotencyKey
from bookings.tasks import purge_idempotency_keys
from erozgar.celery import app

pytestmark = pytest.mark.django_db


def test_idempotency_keys_older_than_a_day_are_purged(freelancer: Any) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        IdempotencyKey.objects.create(user=freelancer, key="old", fingerprint="x")
    IdempotencyKey.objects.create(user=freelancer, key="fresh", fingerprint="y")
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_purge_is_on_the_beat_schedule() -> None:
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "bookings.tasks.purge_idempotency_keys" in tasks
