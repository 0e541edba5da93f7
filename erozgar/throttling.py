"""DRF throttles that read the client address as the rest of the portal does (erozgar.ratelimit)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from erozgar.ratelimit import client_address, consume


class AddressScopedThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed by :func:`client_address` (never by a header the client sets)."""

    def get_ident(self, request: Request) -> str:
        return client_address(request._request)


class RateLimitThrottle(BaseThrottle):
    """A throttle sharing a limit of ``EROZGAR_RATE_LIMITS`` (``action``) with the portal's pages."""

    action = ""

    def allow_request(self, request: Request, view: Any) -> bool:
        return consume(request._request, self.action) is not None
