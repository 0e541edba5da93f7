"""`make run`'s gunicorn (erozgar.gunicorn_conf, several workers): one scrape counts every worker.

Each sync worker is its own process with its own counters; without a shared folder
(PROMETHEUS_MULTIPROC_DIR) /metrics would report only the worker that happened to answer the
scrape. The config gives each run an empty folder of its own, so the total is exact.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.concurrency import run_at_once, wait_until
from tests.outbox.processes import VENV_BIN, Processes, _listening, free_port

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REQUESTS = 40


def requests_counted(text: str) -> float:
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("erozgar_http_requests_total{") and 'view="healthz-live"' in line
    )


def test_every_gunicorn_worker_is_counted_in_one_scrape(processes: Processes, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    (run_dir / "prometheus").mkdir(parents=True)
    (run_dir / "prometheus" / "counter_999999.db").write_bytes(b"stale from an earlier run")
    port = free_port()
    env = processes.env(PORT=str(port), WEB_CONCURRENCY="3", EROZGAR_RUN_DIR=str(run_dir))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "python:erozgar.gunicorn_conf", "erozgar.wsgi:application"],
        cwd=processes.env()["PYTHONPATH"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    processes.started.append(gunicorn)
    wait_until(lambda: _listening(port), timeout=60, what="gunicorn listening")
    base = f"http://127.0.0.1:{port}"

    def live(_: int) -> int:
        # A connection of its own each: the requests spread over the workers.
        with httpx.Client(base_url=base, timeout=30) as client:
            return client.get("/healthz/live").status_code

    for _ in range(2):
        assert run_at_once(live, list(range(REQUESTS // 2))) == [200] * (REQUESTS // 2)
    for _ in range(12):  # whichever worker answers the scrape
        with httpx.Client(base_url=base, timeout=30) as client:
            scraped = client.get("/metrics")
            assert scraped.status_code == 200
            assert requests_counted(scraped.text) == REQUESTS
    assert not (run_dir / "prometheus" / "counter_999999.db").exists()
