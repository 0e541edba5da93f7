"""Request ids: one id follows a request into the rows and log lines it causes.

- ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` (when it looks like an id) or
  makes one, binds it for the request and returns it in the response header.
- ``current_request_id()`` is what any code reads (log lines, an outbox row written in the
  request); ``bound_request_id()`` binds one elsewhere (a worker sending a request's email).
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar

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


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything the request does sees its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        with bound_request_id(request_id):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
