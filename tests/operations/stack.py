"""The production stack of `make run` (supervisord.conf: gunicorn, worker, beat) as real processes.

The fault tests start supervisord with the very file `make run` uses, the environment the
Makefile gives it (DJANGO_ENV=development, DEBUG=false, gunicorn's default worker count) and
only these changed: the database (the test database, or a throwaway PostgreSQL a test can
stop), a Redis of the test's own, a free port, and mail into files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from erozgar.devservices import BASE_DIR
from tests.concurrency import wait_until
from tests.outbox.processes import PrivateRedis, free_port

VENV_BIN = Path(sys.executable).parent
CONFIG = BASE_DIR / "supervisord.conf"
# The heartbeat hash as a process with the stack's settings names it (KEY_PREFIX "erozgar", version 1).
HEARTBEATS_KEY = "erozgar:1:celery:worker-heartbeats"


class Stack:
    def __init__(self, folder: Path, *, database_url: str, redis: PrivateRedis, **extra: str) -> None:
        self.folder = folder
        self.redis = redis
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL", "PYTEST"))}
        env.update(
            {
                # What the Makefile's `run` sets...
                "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
                "PORT": str(self.port),
                "EROZGAR_RUN_DIR": str(folder),
                "WORKER_CONCURRENCY": "2",
                "DEBUG": "false",
                "DJANGO_ENV": "development",
                "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"),
                # ...and what a test changes.
                "DATABASE_URL": database_url,
                "REDIS_URL": redis.url,
                "EMAIL_URL": f"filemail:///{self.mail_dir}",
                "PYTHONPATH": str(BASE_DIR),
            }
        )
        env.update(extra)
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    # --- running ------------------------------------------------------------------------

    def start(self) -> None:
        log = open(self.folder / "stack.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [str(VENV_BIN / "supervisord"), "-c", str(CONFIG)],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: self.get("/healthz/live") == 200, timeout=90, what="gunicorn answers")
        wait_until(self.worker_heartbeat, timeout=90, what="the worker's first heartbeat")

    def stop(self) -> None:
        """SIGINT to supervisord, what Ctrl-C sends: every program stops gracefully, then supervisord.

        Fails the test when that takes more than a minute or leaves a process behind.
        """
        if self.process is None:
            return
        pids = [pid for pid in (self.pid(name) for name in ("web", "worker", "beat", "services")) if pid]
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            code = None
        left = [pid for pid in pids if _alive(pid)]
        for pid in left:  # nothing may outlive the test, even when it failed
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        if code is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        assert code == 0, f"supervisord did not stop within 60 s of Ctrl-C (exit {code})"
        assert left == [], f"processes left running after Ctrl-C: {left}"

    def log(self) -> str:
        return (self.folder / "stack.log").read_text(errors="replace")

    def ctl(self, *args: str) -> str:
        result = subprocess.run(
            [str(VENV_BIN / "supervisorctl"), "-c", str(CONFIG), *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout.strip()

    def pid(self, program: str) -> int:
        try:
            return int(self.ctl("pid", program))
        except ValueError:
            return 0

    # --- looking at it ------------------------------------------------------------------

    def get(self, path: str, timeout: float = 5) -> int | str:
        """The status code of GET path, or the name of the error when the connection itself failed."""
        try:
            return httpx.get(self.url + path, timeout=timeout).status_code
        except httpx.HTTPError as exc:
            return type(exc).__name__

    def worker_heartbeat(self) -> float | None:
        """When (epoch seconds) a worker of this stack last wrote its heartbeat."""
        import redis

        with contextlib.suppress(redis.RedisError):
            seen = redis.Redis.from_url(self.redis.url).hgetall(HEARTBEATS_KEY)
            if seen:
                return max(float(value) for value in seen.values())
        return None

    def mail(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.mail_dir.iterdir()))


def allowed_seconds(seconds: float) -> float:
    """A wall-clock bound, stretched when the machine runs more than it has CPUs for (a shared CI
    machine: a worker's start is mostly CPU), never beyond three times the bound."""
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return seconds * min(3.0, max(1.0, load))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class ThrowawayPostgres:
    """A PostgreSQL cluster of one test's own (pgserver's binaries), which the test may stop.

    Empty but for its ``postgres`` database: enough for readiness, which asks ``SELECT 1``.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.pgdata = folder / "pg"
        self.user = "pgserver" if os.geteuid() == 0 else None
        self.socket_dir = ""

    @property
    def url(self) -> str:
        return f"postgres://postgres@/postgres?host={self.socket_dir}&port=5432"

    def create(self) -> None:
        import pgserver

        pgserver.get_server(self.pgdata, cleanup_mode=None)
        self.socket_dir = (self.pgdata / "postmaster.pid").read_text().splitlines()[4].strip()

    def _traversable(self) -> None:
        """Run as root, pg_ctl runs as the ``pgserver`` user, who must reach the data folder.

        pgserver opens the folders above it when it creates the cluster; something in the run
        (a folder made owner-only later) can close one again, and pg_ctl then fails with
        "could not access directory" (seen in a full run), so open them again each time.
        """
        if self.user:
            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.pgdata)

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        self._traversable()
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.user)

    def start(self) -> None:
        """Start it again where it listened before (pgserver's own options: socket only)."""
        from pgserver._commands import pg_ctl

        options = [
            "-w",
            "-o",
            '-h ""',
            "-o",
            f"-k {self.socket_dir}",
            "-l",
            str(self.pgdata / "log"),
            "start",
        ]
        self._traversable()
        pg_ctl(options, pgdata=self.pgdata, user=self.user)

    def running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()
