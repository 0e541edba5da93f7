"""`make bench`: how cost grows with data, measured in one run and printed as ratios.

Each row compares a small and a large case of the same page or endpoint in this run, so
machine speed cancels out: the query count must not grow at all, and the time ratio
shows what the extra rows cost. The last rows measure one booking's cost and the memory
of a real gunicorn worker after serving the portal's busiest pages.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from centres.hours import local_today
from tests.bookings.factories import BookingFactory, CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, SpaceFactory, StaffMembershipFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory, UserFactory

# Query counts are captured inside one transaction (as the test suite pins them); the
# memory run commits its data so that a separate gunicorn process can read it.
pytestmark = pytest.mark.django_db
ROWS: list[tuple[str, str]] = []
REPEAT = 15


def measure(client: Client, method: str, url: str, **kwargs: Any) -> tuple[int, float]:
    """(queries, median milliseconds) of REPEAT identical requests after one warm-up."""
    call: Callable[..., Any] = getattr(client, method)
    response = call(url, **kwargs)
    assert response.status_code < 400, (url, response.status_code)
    timings = []
    with CaptureQueriesContext(connection) as ctx:
        call(url, **kwargs)
    queries = len(ctx.captured_queries)  # read now: the next request resets the log
    for _ in range(REPEAT):
        start = time.perf_counter()
        call(url, **kwargs)
        timings.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(timings)


def compare(name: str, small: tuple[str, tuple[int, float]], large: tuple[str, tuple[int, float]]) -> None:
    (small_label, (q1, t1)), (large_label, (q2, t2)) = small, large
    ROWS.append(
        (
            name,
            f"{small_label}: {q1} queries, {t1:.1f} ms | {large_label}: {q2} queries, {t2:.1f} ms | "
            f"queries x{q2 / q1:.2f}, time x{t2 / t1:.2f}",
        )
    )
    assert q1 == q2, f"{name}: query count grows with data ({q1} -> {q2})"


def test_directory_and_centre_api_cost_the_same_queries_for_10_and_1000_centres(client: Client) -> None:
    for i in range(10):
        weekdays_open(CentreFactory(city="Lahore", name=f"Small {i}"))
    small_page = ("10 centres", measure(client, "get", "/centres/"))
    small_api = ("10 centres", measure(client, "get", "/api/v1/centres/"))
    for i in range(990):
        centre = CentreFactory(city="Karachi" if i % 2 else "Quetta", name=f"Large {i}")
        if i % 10 == 0:
            weekdays_open(centre)
    compare("GET /centres/ (page of 20)", small_page, ("1000 centres", measure(client, "get", "/centres/")))
    compare("GET /api/v1/centres/", small_api, ("1000 centres", measure(client, "get", "/api/v1/centres/")))


def test_availability_costs_the_same_queries_for_3_and_300_spaces(client: Client) -> None:
    user = RegistrationFactory(submitted=True).user
    client.force_login(user)
    day = (local_today() + timedelta(days=1)).isoformat()
    small, large = CentreFactory(slug="small-bench"), CentreFactory(slug="large-bench")
    for centre, count in ((small, 3), (large, 300)):
        weekdays_open(centre)
        for i in range(count):
            space = CabinFactory(centre=centre, label=f"C-{i:03d}")
            if i % 3 == 0:
                BookingFactory(
                    space=space, user=UserFactory(), starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
                )
    compare(
        "GET /api/v1/centres/<id>/availability/",
        ("3 spaces", measure(client, "get", f"/api/v1/centres/{small.pk}/availability/?date={day}")),
        ("300 spaces", measure(client, "get", f"/api/v1/centres/{large.pk}/availability/?date={day}")),
    )
    compare(
        "GET /centres/<slug>/book/ (grid)",
        ("3 spaces", measure(client, "get", f"/centres/{small.slug}/book/?date={day}")),
        ("300 spaces", measure(client, "get", f"/centres/{large.slug}/book/?date={day}")),
    )


def test_desk_page_costs_the_same_queries_for_3_and_300_bookings_today(client: Client) -> None:
    small, large = CentreFactory(slug="desk-small"), CentreFactory(slug="desk-large")
    clerk = UserFactory()
    today = local_today()
    from tests.bookings.factories import at

    for centre, count in ((small, 3), (large, 300)):
        weekdays_open(centre)
        StaffMembershipFactory(centre=centre, user=clerk, role="desk")
        for i in range(count):
            space = SpaceFactory(centre=centre, label=f"WS-{i:03d}")
            BookingFactory(space=space, user=UserFactory(), starts_at=at(today, 9), ends_at=at(today, 17))
    client.force_login(clerk)
    compare(
        "GET /desk/<slug>/",
        ("3 bookings", measure(client, "get", f"/desk/{small.slug}/")),
        ("300 bookings", measure(client, "get", f"/desk/{large.slug}/")),
    )


def test_creating_a_booking_costs_a_handful_of_queries(client: Client) -> None:
    centre = CentreFactory(slug="create-bench")
    weekdays_open(centre)
    spaces = [CabinFactory(centre=centre, label=f"B-{i:03d}") for i in range(40)]
    timings, counts = [], []
    for i, space in enumerate(spaces):
        user = RegistrationFactory(submitted=True).user
        client.force_login(user)
        body = {
            "space": space.pk,
            "starts_at": tomorrow_at(10 + i % 6).isoformat(),
            "ends_at": tomorrow_at(11 + i % 6).isoformat(),
        }
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.post("/api/v1/bookings/", body, content_type="application/json")
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.content
        counts.append(len(ctx.captured_queries))
    ROWS.append(
        (
            "POST /api/v1/bookings/",
            f"{statistics.median(counts):.0f} queries per request (incl. auth and session), "
            f"median {statistics.median(timings):.1f} ms, "
            f"p90 {sorted(timings)[int(len(timings) * 0.9)]:.1f} ms",
        )
    )


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        host = urllib.request.quote(host, safe="")
    return f"postgres://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_gunicorn_worker_stays_under_200_mb() -> None:
    centre = CentreFactory(slug="memory-bench")
    weekdays_open(centre)
    for i in range(100):
        SpaceFactory(centre=centre, label=f"M-{i:03d}")
    port = 8765 + os.getpid() % 500
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "erozgar.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        day = (local_today() + timedelta(days=1)).isoformat()
        urls = [
            "/",
            "/centres/",
            f"/centres/{centre.slug}/",
            "/api/v1/centres/",
            "/api/v1/schema/",
            f"/api/v1/centres/{centre.pk}/availability/?date={day}",
            "/accounts/signup/",
        ]
        for _ in range(30):
            for url in urls:
                try:
                    urllib.request.urlopen(f"{base}{url}", timeout=10).read()
                except urllib.error.HTTPError:
                    pass
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        rss_kb = max(
            int(line.split()[1])
            for pid in children
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    ROWS.append(
        ("gunicorn worker RSS", f"{rss_kb / 1024:.0f} MB after {30 * len(urls)} requests (budget 200 MB)")
    )
    assert rss_kb < 200 * 1024
