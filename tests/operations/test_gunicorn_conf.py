"""gunicorn's settings under `make run`: sync workers, WEB_CONCURRENCY or two per CPU plus one."""

from __future__ import annotations

import os
import subprocess
import sys

from erozgar.devservices import BASE_DIR

READ = (
    "from erozgar import gunicorn_conf as c; "
    "print(c.workers, c.worker_class, c.bind, c.backlog, c.preload_app, c.default_workers())"
)


def _read(**env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"WEB_CONCURRENCY", "PORT", "GUNICORN_BIND"}}
    environ.update(env, PYTHONPATH=str(BASE_DIR))
    result = subprocess.run(
        [sys.executable, "-c", READ], env=environ, capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout.split()


def test_workers_default_to_two_per_cpu_plus_one_on_the_make_run_port() -> None:
    workers, kind, bind, backlog, preload, default = _read(PORT="8123")
    cpus = len(os.sched_getaffinity(0))
    assert int(workers) == int(default) == 2 * cpus + 1
    assert (kind, bind, backlog, preload) == ("sync", "127.0.0.1:8123", "2048", "True")


def test_web_concurrency_sets_the_worker_count() -> None:
    assert _read(WEB_CONCURRENCY="3")[0] == "3"
