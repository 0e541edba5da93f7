"""The one domain exception services raise; views and the API translate it in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A rule of the portal refused an action. ``message`` is translated, for people."""

    http_status = 400
    code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = dict(fields or {})
        self.extra = dict(extra or {})


class Conflict(DomainError):
    """The thing asked for was taken by someone else (a race lost, a slot gone)."""

    http_status = 409
    code = "conflict"


class NotAllowed(DomainError):
    http_status = 403
    code = "forbidden"


class InvalidTransition(DomainError):
    http_status = 409
    code = "invalid_transition"
