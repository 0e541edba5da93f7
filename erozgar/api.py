"""Shared API plumbing: one error shape, one exception handler, a JSON parser with limits.

Every 4xx answer of the API has the same body, documented as the ``Error`` component:

    {"code": "invalid", "detail": "Enter a valid CNIC.", "fields": {"cnic": ["Enter a valid CNIC."]}}

``code`` is stable and machine-readable, ``detail`` is one translated sentence for people,
``fields`` maps each refused field (dotted for nested ones: ``profiles.0.url``) to its
messages. A few domain errors add their own keys beside these (``alternatives`` on a
booking conflict, ``status`` on a refused transition).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from erozgar.errors import DomainError
from erozgar.unstorable import MAX_JSON_DEPTH, MESSAGE, TooDeep, is_unstorable, unstorable_json_fields

Fields = dict[str, list[str]]

TOO_DEEP = gettext_lazy("The JSON body is nested too deeply (at most %(depth)d levels).")


def error_body(code: str, detail: Any, fields: Mapping[str, Sequence[Any]] | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "detail": str(detail),
        "fields": {name: [str(m) for m in messages] for name, messages in (fields or {}).items()},
    }


def flatten_errors(detail: Any, prefix: str = "") -> Fields:
    """DRF's nested error detail as ``{"field.0.sub": [messages]}``."""
    out: Fields = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            if detail:
                out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(m) for m in detail]
        else:
            for index, item in enumerate(detail):
                out.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(detail)]
    return out


def validation_body(detail: Any) -> dict[str, Any]:
    fields = flatten_errors(detail)
    general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    first = general or next(iter(fields.values()), [_("The request is not valid.")])
    return error_body("invalid", " ".join(general) if general else first[0], fields)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    from rest_framework.views import set_rollback  # not at the top: DRF's views read these settings

    response = _error_response(exc)
    if response is not None:
        set_rollback()  # as DRF's own handler does, for ATOMIC_REQUESTS
    return response


def _error_response(exc: Exception) -> Response | None:
    if isinstance(exc, DomainError):
        body = error_body(exc.code, exc.message, exc.fields)
        body.update(exc.extra)
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response(validation_body(detail), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: Django's 500 handling and error reporting take it
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        body = validation_body(exc.detail)
    else:
        code = exc.get_codes()
        body = error_body(code if isinstance(code, str) else exc.default_code, exc.detail)
    return Response(body, status=exc.status_code, headers=headers)


class JSONParser(parsers.JSONParser):
    """DRF's parser, refusing what would otherwise end as a 500 further in.

    JSON nested past MAX_JSON_DEPTH (Python's own parser overflows its stack near 1,000),
    and NUL characters or unpaired surrogates in any string or key, named by field.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH}) from None
        try:
            bad = unstorable_json_fields(data)
        except TooDeep:
            raise exceptions.ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH}) from None
        if bad:
            raise exceptions.ValidationError({field: [MESSAGE] for field in bad})
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's parser, refusing NUL in form fields and file names (the file bytes are left alone)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        bad = [key for key, values in parsed.data.lists() if any(is_unstorable(v) for v in values)]
        bad += [key for key, files in parsed.files.lists() if any(is_unstorable(f.name or "") for f in files)]
        if bad:
            raise exceptions.ValidationError({field: [MESSAGE] for field in bad})
        return parsed
