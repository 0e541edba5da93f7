"""Stored API answers (erozgar.idempotency): one per person and key, forgotten after a day by a task."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from erozgar.celery import app
from erozgar.models import IdempotencyKey
from erozgar.tasks import purge_idempotency_keys
from tests.freelancers.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_idempotency_keys_older_than_a_day_are_purged() -> None:
    freelancer = UserFactory()
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        IdempotencyKey.objects.create(user=freelancer, key="old", fingerprint="x")
    IdempotencyKey.objects.create(user=freelancer, key="fresh", fingerprint="y")
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_purge_is_on_the_beat_schedule() -> None:
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "erozgar.tasks.purge_idempotency_keys" in tasks


def test_an_idempotency_key_is_unique_per_person() -> None:
    freelancer, other = UserFactory(), UserFactory()
    IdempotencyKey.objects.create(user=freelancer, key="k", fingerprint="a")
    IdempotencyKey.objects.create(user=other, key="k", fingerprint="a")
    with pytest.raises(IntegrityError, match="idempotency_key_unique_per_user"), transaction.atomic():
        IdempotencyKey.objects.create(user=freelancer, key="k", fingerprint="b")
    with pytest.raises(ValidationError):
        IdempotencyKey(user=freelancer, key="k", fingerprint="c").full_clean()
