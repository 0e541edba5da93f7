"""A load run against gunicorn: booking creation and availability, each beside its floor.

    .venv/bin/python -m bench.load                 # 10 s per row, 16 connections
    .venv/bin/python -m bench.load --seconds 2     # CI's smoke: the harness runs, nothing asserted

Loads ``seed_scale --preset small`` (rerunnable), gives each seeded person who may book a token
and one valid booking to make (a different space or day each), starts gunicorn (3 sync workers,
DEBUG off) on a free port, and drives it with an asyncio client. Rows run interleaved, twice,
so a noisy machine moves every row alike. Afterwards it counts double bookings by SQL (must be 0).

Floors (``bench/urls.py``, served by the same gunicorn through ``bench.settings``): a bare JSON
view, one INSERT into a table with the same exclusion constraint, one SQL free-interval query.
Not here yet: a contended run, the directory, grid, look-up, rollup and memory rows
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent


def _prepare() -> dict[str, Any]:
    from django.core.management import call_command
    from knox.models import AuthToken

    from accounts.models import User
    from centres.hours import local_datetime, local_today
    from centres.models import Centre, Space
    from freelancers.models import Registration

    call_command("seed_scale", preset="small")
    from django.db import connection

    from bench.urls import FLOOR_TABLE_SQL

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_TABLE_SQL)
        cursor.execute("TRUNCATE bench_floor_booking")
    people = list(
        Registration.objects.filter(user__email__startswith="scale-", status__in=["approved", "submitted"])
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    spaces = list(
        Space.objects.filter(centre__slug__startswith="scale-").order_by("id").values_list("id", flat=True)
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=people)}
    tasks = []
    for i, user_id in enumerate(people):
        day = local_today() + timedelta(days=2 + i // len(spaces))
        tasks.append(
            {
                "token": AuthToken.objects.create(users[user_id])[1],
                "body": {
                    "space": spaces[i % len(spaces)],
                    "starts_at": local_datetime(day, clock(19)).isoformat(),
                    "ends_at": local_datetime(day, clock(21)).isoformat(),
                },
            }
        )
    centre = Centre.objects.filter(slug__startswith="scale-").order_by("id").first()
    assert centre is not None
    return {"tasks": tasks, "centre": centre.pk, "date": (local_today() + timedelta(days=1)).isoformat()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _row(
    base: str, kind: str, seconds: float, connections: int, plan: dict[str, Any]
) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    codes: dict[int, int] = {}
    tasks = plan["tasks"]
    floor_inserts = plan.setdefault("floor_inserts", iter(range(10**9)))  # new bookings every round
    base_time = datetime(2030, 1, 1, tzinfo=UTC)
    stop = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30, headers={"Accept-Encoding": "gzip"}) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                if kind == "floor: bare JSON view":
                    response = await client.get("/bench/floor/json/")
                elif kind == "floor: one INSERT, same exclusion":
                    n = next(floor_inserts)
                    starts = base_time + timedelta(hours=2 * (n // 500))
                    ends = starts + timedelta(hours=2)
                    response = await client.post(
                        "/bench/floor/insert/",
                        json={"space": n % 500, "starts_at": starts.isoformat(), "ends_at": ends.isoformat()},
                    )
                elif kind == "floor: one SQL free-interval query":
                    response = await client.get(f"/bench/floor/free/{plan['centre']}/?date={plan['date']}")
                elif kind == "POST /api/v1/bookings/":
                    if not tasks:
                        return
                    task = tasks.pop()
                    response = await client.post(
                        "/api/v1/bookings/",
                        json=task["body"],
                        headers={"Authorization": f"Token {task['token']}"},
                    )
                else:
                    response = await client.get(
                        f"/api/v1/centres/{plan['centre']}/availability/?date={plan['date']}"
                    )
                latencies.append(time.perf_counter() - started)
                codes[response.status_code] = codes.get(response.status_code, 0) + 1

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        took = time.monotonic() - began
    latencies.sort()
    n = max(len(latencies), 1)
    return {
        "row": kind,
        "rps": len(latencies) / took if took else 0.0,
        "p50": latencies[n // 2] * 1000 if latencies else 0.0,
        "p99": latencies[min(int(n * 0.99), n - 1)] * 1000 if latencies else 0.0,
        "codes": codes,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per row and round")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erozgar.settings")
    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    plan = _prepare()
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "erozgar.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(100):
            try:
                if httpx.get(base + "/healthz/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        rows = [
            "floor: bare JSON view",
            "floor: one INSERT, same exclusion",
            "POST /api/v1/bookings/",
            "floor: one SQL free-interval query",
            "GET /api/v1/centres/<id>/availability/",
        ]
        results = []
        for _round in range(2):
            for kind in rows:
                results.append(asyncio.run(_row(base, kind, args.seconds, args.connections, plan)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    floors = {
        "POST /api/v1/bookings/": "floor: one INSERT, same exclusion",
        "GET /api/v1/centres/<id>/availability/": "floor: one SQL free-interval query",
    }

    def mean_rps(row: str) -> float:
        values = [r["rps"] for r in results if r["row"] == row]
        return sum(values) / len(values) if values else 0.0

    print(f"\n{'row':<42} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'x floor':>8}  answers")
    for r in results:
        floor_rps = mean_rps(floors.get(r["row"], "floor: bare JSON view"))
        ratio = r["rps"] / floor_rps if floor_rps else 0.0
        figures = f"{r['rps']:7.1f} {r['p50']:8.1f} {r['p99']:8.1f} {ratio:8.2f}"
        print(f"{r['row']:<42} {figures}  {json.dumps(r['codes'])}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
               ON a.space_id = b.space_id AND a.id < b.id AND a.status IN ('confirmed', 'checked_in')
               AND b.status IN ('confirmed', 'checked_in')
               AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        print(f"double bookings found afterwards by SQL: {cursor.fetchone()[0]}")


if __name__ == "__main__":
    main()
