"""The production stack (supervisord.conf) on the test database, shared by a module's fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.centre_fixtures import *  # noqa: F403
from tests.operations.stack import Stack
from tests.outbox.processes import PrivateRedis, test_database_url


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("stack")
    redis = PrivateRedis(folder)
    redis.start()
    # The sweeper every 2 s (a minute in production): emails queued while Redis was down go out
    # within the test.
    fast_sweep = {"OUTBOX_SWEEP_SECONDS": "2", "OUTBOX_REQUEUE_SECONDS": "3"}
    running = Stack(folder, database_url=test_database_url(), redis=redis, **fast_sweep)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        redis.stop()
