"""With Redis gone, the cache is a miss, not a 500: sessions fall back to the database.

The cache here points at a Redis of the test's own that has been stopped (refused at once);
the rest of the suite's Redis is untouched.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from bookings.models import Booking
from outbox.models import OutgoingEmail
from tests.bookings.factories import tomorrow_at
from tests.outbox.processes import PrivateRedis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_gone(private_redis: PrivateRedis, settings: Any) -> PrivateRedis:
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": private_redis.url, "KEY_PREFIX": "gone"}
    }
    assert cache.set("k", 1) is None and cache.get("k") == 1  # the cache really is that Redis
    private_redis.stop()
    return private_redis


def test_reads_miss_writes_are_dropped_and_nobody_is_handed_a_lock(redis_gone: PrivateRedis) -> None:
    started = time.monotonic()
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.add("lock", 1) is False  # fail closed: nothing believes it holds a lock
    cache.set("k", 2)
    cache.delete("k")
    assert time.monotonic() - started < 4  # no retries or backoff on a Redis that refuses


def test_a_signed_in_person_books_in_the_browser_while_redis_is_down(
    client: Client, cabin: Any, freelancer: Any, redis_gone: PrivateRedis
) -> None:
    client.force_login(freelancer)  # the session is written to the database; the cache copy is lost
    review = f"/centres/{cabin.centre.slug}/book/review/?space={cabin.pk}&start={tomorrow_at(10).isoformat()}"
    assert client.get(review.replace("+", "%2B")).status_code == 200  # signed in, from the database
    started = time.monotonic()
    response = client.post(
        f"/centres/{cabin.centre.slug}/book/review/",
        {"space": cabin.pk, "start": tomorrow_at(10).isoformat(), "option": "hourly:120"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert time.monotonic() - started < 4  # no retries or backoff on a Redis that refuses
    booking = Booking.objects.get(user=freelancer)
    assert OutgoingEmail.objects.get().object_id == booking.pk
    assert client.get(response["Location"]).status_code == 200  # still signed in


def test_rate_limited_sign_in_fails_closed_with_a_clear_page_not_a_500(
    client: Client, freelancer: Any, password: str, redis_gone: PrivateRedis
) -> None:
    response = client.post("/accounts/login/", {"login": freelancer.email, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
