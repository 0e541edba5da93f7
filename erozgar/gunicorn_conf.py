"""gunicorn's settings for `make run` (and any deployment that wants them: `-c python:erozgar.gunicorn_conf`).

Sync workers, as many as ``WEB_CONCURRENCY`` says, else two per CPU this process may use plus
one. A sync worker serves one request at a time; connections beyond the workers wait in the
listen backlog (2048) instead of being refused, which is what a burst of clients needs.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# /metrics sums the counters of every worker through files in one folder (prometheus_client's
# multiprocess mode). An empty folder at each start, set before the portal (and with it
# prometheus_client) is imported: the run's own (EROZGAR_RUN_DIR), else var/run/.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _run_dir = os.environ.get("EROZGAR_RUN_DIR") or str(
        Path(__file__).resolve().parent.parent / "var" / "run"
    )
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(_run_dir, "prometheus")
shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
if "prometheus_client" in sys.modules:  # it chose per-process counters when imported: too late
    print(
        "erozgar.gunicorn_conf: prometheus_client was imported too early; /metrics counts one worker",
        file=sys.stderr,
    )


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def default_workers(cpus: int | None = None) -> int:
    return 2 * (cpus if cpus is not None else _cpus()) + 1


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
worker_class = "sync"
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then (a slow leak never grows without bound); jitter avoids all at once.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# No query strings in the access log: a desk look-up's ?q= may be a CNIC.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
proc_name = "erozgar-web"
# Import Django once in the master: a worker that dies is replaced in milliseconds, and the
# first request of each worker does not pay for the import.
preload_app = True
# gunicorn 27's control socket lives in the home folder, shared by every gunicorn of the user
# (two checkouts, the fault tests' stacks); nothing here uses it.
control_socket_disable = True


def when_ready(server: object) -> None:
    """Load in the master what every worker would load on its first request (every URL's view,
    both languages' catalogues), so no forked worker makes a person wait for it."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - loading is the point
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
