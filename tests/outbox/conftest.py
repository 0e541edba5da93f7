"""Outbox tests: the booking tests' named actors, and real processes on a Redis of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.centre_fixtures import *  # noqa: F403
from tests.outbox.processes import PrivateRedis, Processes


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def processes(tmp_path: Path, private_redis: PrivateRedis, transactional_db: Any) -> Iterator[Processes]:
    running = Processes(tmp_path, private_redis)
    yield running
    running.stop_all()
