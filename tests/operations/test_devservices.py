"""The embedded servers: importing settings starts none, and a restarted Redis keeps its port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from erozgar.devservices import BASE_DIR, _redis_answers
from tests.concurrency import wait_until


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"EROZGAR_VAR_DIR": str(var_dir), "PYTHONPATH": str(BASE_DIR), **extra})
    return env


def _python(var_dir: Path, code: str, **extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def _devservices(var_dir: Path, command: str, **extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "erozgar.devservices", command],
        cwd=BASE_DIR,
        env=_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def _redis_pid(var_dir: Path) -> int:
    return int((var_dir / "redis" / "redis.pid").read_text())


@pytest.fixture
def var_dir(tmp_path: Path):
    folder = tmp_path / "var"
    yield folder
    if (folder / "redis" / "redis.pid").exists():
        _devservices(folder, "down", DATABASE_URL="postgres://unused@/x")


def test_importing_settings_starts_no_server(var_dir: Path) -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'erozgar.settings'; django.setup(); "
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(settings.REDIS_URL, d['HOST'], d['PORT'])"
    )
    redis_url, pg_host, pg_port = _python(var_dir, code).split()
    # The settings name where the servers will listen...
    assert pg_host == str(var_dir.resolve() / "postgres")
    assert pg_port == "5432"
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    # ...and nothing was started: no PostgreSQL data folder, no Redis answering on that port.
    assert not (var_dir / "postgres" / "postmaster.pid").exists()
    assert not (var_dir / "redis" / "redis.pid").exists()
    assert not _redis_answers(port)
    # The port is the checkout's from now on: asked again, the settings give the same one.
    assert _python(var_dir, code).split()[0] == redis_url


def test_redis_comes_back_on_its_port_after_a_crash(var_dir: Path) -> None:
    no_pg = {"DATABASE_URL": "postgres://unused@/x"}  # this test is about Redis only
    out = _devservices(var_dir, "up", **no_pg)
    port = int((var_dir / "redis" / "port").read_text())
    assert f"redis://127.0.0.1:{port}/0" in out
    assert _redis_answers(port)
    settings_url = _python(
        var_dir,
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'erozgar.settings'; "
        "from django.conf import settings; print(settings.REDIS_URL)",
    )
    assert settings_url == f"redis://127.0.0.1:{port}/0"

    os.kill(_redis_pid(var_dir), signal.SIGKILL)
    wait_until(lambda: not _redis_answers(port), timeout=5, what="redis gone")
    _devservices(var_dir, "up", **no_pg)
    assert _redis_answers(port), "up started Redis again on the port web, worker and beat dial"


def test_watch_starts_a_crashed_redis_again_on_the_same_port(var_dir: Path) -> None:
    no_pg = {"DATABASE_URL": "postgres://unused@/x"}
    _devservices(var_dir, "up", **no_pg)
    port = int((var_dir / "redis" / "port").read_text())
    watcher = subprocess.Popen(
        [sys.executable, "-m", "erozgar.devservices", "watch"],
        cwd=BASE_DIR,
        env=_env(var_dir, **no_pg),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        first = _redis_pid(var_dir)
        os.kill(first, signal.SIGKILL)
        started = time.monotonic()
        wait_until(
            lambda: _redis_answers(port) and _redis_pid(var_dir) != first,
            timeout=15,
            what="the watcher starts Redis again",
        )
        assert time.monotonic() - started < 10
    finally:
        watcher.terminate()
        output = watcher.communicate(timeout=10)[0].decode()
    assert "embedded Redis is not running; starting it" in output


def test_postgres_comes_back_at_the_same_address_after_a_crash(var_dir: Path) -> None:
    no_redis = {"REDIS_URL": "redis://127.0.0.1:1/0"}  # this test is about PostgreSQL only
    first = _devservices(var_dir, "up", **no_redis)
    address = first.split("PostgreSQL (embedded): ", 1)[1].split()[0]
    pid = int((var_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)  # the postmaster; its backends notice and exit
    wait_until(lambda: not _alive(pid), timeout=10, what="postmaster gone")
    try:
        again = _devservices(var_dir, "up", **no_redis)
        assert again.split("PostgreSQL (embedded): ", 1)[1].split()[0] == address
        host = _python(
            var_dir,
            "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'erozgar.settings'; "
            "from django.conf import settings; print(settings.DATABASES['default']['HOST'])",
            **no_redis,
        )
        assert f"host={host}&port=5432" in address
    finally:
        _devservices(var_dir, "down", **no_redis)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (not yet reaped by its parent) is gone for our purpose.
    try:
        return Path(f"/proc/{pid}/status").read_text().find("State:\tZ") < 0
    except OSError:
        return False
