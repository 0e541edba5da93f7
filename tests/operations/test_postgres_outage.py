"""PostgreSQL stopped under `make run`'s stack: readiness says 503 at once, and 200 again when it
is back, without restarting anything (each gunicorn worker's kept connection is replaced)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.concurrency import wait_until
from tests.operations.stack import Stack, ThrowawayPostgres
from tests.outbox.processes import PrivateRedis

pytestmark = [pytest.mark.faults]

OUTAGE_SECONDS = float(os.environ.get("EROZGAR_PG_OUTAGE_SECONDS", "10"))


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres(tmp_path / "postgres")
    server.create()
    yield server
    if server.running():
        server.stop()


@pytest.fixture
def stack_on(tmp_path: Path, postgres: ThrowawayPostgres) -> Iterator[Stack]:
    redis = PrivateRedis(tmp_path)
    redis.start()
    stack = Stack(tmp_path / "stack", database_url=postgres.url, redis=redis)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        redis.stop()


def _ready(stack: Stack) -> tuple[int, tuple[str, ...], float]:
    started = time.monotonic()
    response = httpx.get(stack.url + "/healthz/ready", timeout=10)
    return response.status_code, tuple(response.json()["down"]), time.monotonic() - started


def test_readiness_is_503_while_postgres_is_down_and_200_again_without_a_restart(
    stack_on: Stack, postgres: ThrowawayPostgres
) -> None:
    stack = stack_on
    web = stack.pid("web")
    # Every gunicorn worker answers once and keeps its database connection (CONN_MAX_AGE=60).
    assert {_ready(stack)[:2] for _ in range(20)} == {(200, ())}

    postgres.stop()
    outage = []
    started = time.monotonic()
    while time.monotonic() - started < OUTAGE_SECONDS:
        outage.append(_ready(stack))
        assert stack.get("/healthz/live") == 200, "liveness does not depend on the database"
        time.sleep(0.2)
    assert {(status, down) for status, down, _ in outage} == {(503, ("database",))}
    slowest = max(took for *_, took in outage)
    assert slowest < 1.0, f"readiness took {slowest:.2f} s to say the database is down"

    postgres.start()
    back = time.monotonic()
    wait_until(lambda: _ready(stack)[0] == 200, timeout=10, what="readiness once PostgreSQL is back")
    recovered_after = time.monotonic() - back
    # Every worker, not just one, has replaced its broken connection.
    assert {_ready(stack)[:2] for _ in range(20)} == {(200, ())}
    assert stack.pid("web") == web, "nothing was restarted"
    print(
        f"{len(outage)} readiness answers during a {OUTAGE_SECONDS:.0f} s outage, all 503, slowest "
        f"{slowest * 1000:.0f} ms; 200 again {recovered_after:.1f} s after PostgreSQL started"
    )
