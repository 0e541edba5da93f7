"""Request ids and structured logs: one id follows a request into the rows and log lines it causes.

- ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` (when it looks like an id) or
  makes one, binds it for the request, returns it in the response header and, when
  ``LOG_REQUESTS`` is on (production), logs one line per request (``erozgar.request``: method,
  path without its query string, status, duration, view).
- ``current_request_id()`` is what any code reads (log lines, an outbox row written in the
  request); ``bound_request_id()`` binds one elsewhere (a worker sending a request's email).
- A task queued during a request carries its id in the message headers, and the worker binds
  it while the task runs (``connect_celery``), so the worker's log lines name the request.
- ``RequestIdFilter`` puts the id on every log record; ``JsonFormatter`` writes a record as
  one JSON object per line (``LOG_FORMAT=json``, the default in production).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept when it is a plain token (letters, digits, '.', '_', ':', '-'; 8 to
# 64 of them); anything else could forge log lines, so a fresh id is made instead.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request (or of the request whose work is being done); "" outside one."""
    return _request_id.get()


@contextlib.contextmanager
def bound_request_id(value: str) -> Iterator[str]:
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


def request_id_from_header(value: str | None) -> str:
    if value and _ACCEPTABLE.fullmatch(value):
        return value
    return uuid.uuid4().hex


request_logger = logging.getLogger("erozgar.request")


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything the request does sees its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        started = time.perf_counter()
        with bound_request_id(request_id):
            response = self.get_response(request)
            if settings.LOG_REQUESTS:
                log_request(request, response, time.perf_counter() - started)
        response[REQUEST_ID_HEADER] = request_id
        return response


def log_request(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    """One line per request. The path only: a query string may hold a CNIC (a desk look-up)."""
    match = getattr(request, "resolver_match", None)
    duration_ms = round(seconds * 1000, 1)
    request_logger.info(
        "%s %s %s %sms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "view": match.view_name if match else "",
        },
    )


# --- log records ------------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Every record names the request it belongs to ("" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, process, and a
    request line's method, path, status, duration_ms and view; the traceback when there is one."""

    EXTRA = ("method", "path", "status", "duration_ms", "view", "task", "task_id")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
            "process": record.process,
        }
        for name in self.EXTRA:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery: the id travels in the task's message headers --------------------------------------

TASK_HEADER = "erozgar_request_id"


def _headers_with_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = current_request_id()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def _task_request_id(task: Any) -> str:
    request = getattr(task, "request", None)
    value = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return value if isinstance(value, str) and _ACCEPTABLE.fullmatch(value) else ""


_task_tokens: dict[str, Token[str]] = {}


def _bind_for_task(task_id: str = "", task: Any = None, **_: Any) -> None:
    request_id = _task_request_id(task)
    if request_id:
        _task_tokens[task_id] = _request_id.set(request_id)


def _unbind_after_task(task_id: str = "", **_: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _request_id.reset(token)


def connect_celery() -> None:
    """Called by the Celery app (erozgar/celery.py)."""
    from celery import signals

    signals.before_task_publish.connect(_headers_with_request_id, weak=False)
    signals.task_prerun.connect(_bind_for_task, weak=False)
    signals.task_postrun.connect(_unbind_after_task, weak=False)
