"""Idempotency-Key for any API write: the first answer to a request is kept and replayed to its retries.

A client that lost an answer (a dropped mobile connection) sends the same request again with
the same ``Idempotency-Key`` header and gets the first answer again, marked
``Idempotent-Replayed: true``, instead of a second booking. Keys are per person; the same key
with a different request is a 422. Simultaneous retries wait on the stored row's lock for the
first answer. Refusals are answers too, and are replayed. Keys are forgotten after a day.

    def post(self, request: Request) -> Response:
        return idempotent(request, self, lambda: self._book(request))
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from erozgar.api import error_body, exception_handler
from erozgar.errors import DomainError
from erozgar.models import IdempotencyKey

MAX_KEY_LENGTH = 255
KEY_LIFETIME = timedelta(hours=24)


def idempotent(request: Request, view: Any, respond: Callable[[], Response]) -> Response:
    """``respond()`` once per (person, ``Idempotency-Key``); the stored answer to every retry.

    Without the header this is just ``respond()``. ``respond`` may raise a domain error or a
    DRF/Django validation error: it becomes its 4xx response here, so a retry replays it.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return _answer(request, view, respond)
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError({"Idempotency-Key": [_("Use at most 255 printable characters.")]})
    fingerprint = _fingerprint(request)
    user_id = int(request.user.pk or 0)
    with transaction.atomic():
        # Insert-or-nothing, then lock: a concurrent retry waits here for the first answer.
        IdempotencyKey.objects.bulk_create(
            [IdempotencyKey(user_id=user_id, key=key, fingerprint=fingerprint)], ignore_conflicts=True
        )
        record = IdempotencyKey.objects.select_for_update().get(user_id=user_id, key=key)
        if record.fingerprint != fingerprint:
            return Response(
                error_body(
                    "idempotency_key_reused",
                    _("This Idempotency-Key was already used for a different request."),
                ),
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if record.response_status is not None:
            return Response(
                record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"}
            )
        response = _answer(request, view, respond)
        record.response_status = response.status_code
        record.response_body = response.data
        record.save(update_fields=["response_status", "response_body"])
        return response


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Delete stored answers older than ``KEY_LIFETIME``; returns how many went."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _answer(request: Request, view: Any, respond: Callable[[], Response]) -> Response:
    try:
        return respond()
    except (DomainError, APIException, DjangoValidationError) as exc:
        response = exception_handler(exc, {"request": request, "view": view})
        assert response is not None
        return response
