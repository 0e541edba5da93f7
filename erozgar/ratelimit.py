"""Who is asking, and how often: one reading of the client's address, one set of rate limits.

The client address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` proxies stand in front
of the portal; then it is the address the outermost trusted proxy wrote into
``X-Forwarded-For`` (counted from the right: anything to its left was sent by the client and
proves nothing). allauth's rate limits, DRF's throttles and the portal's own limits all read
it through :func:`client_address`, so no header can move a client into a fresh bucket.

Limits are allauth's sliding windows on the shared Redis cache (``"20/m/ip,200/d/ip"``;
``key`` limits count what the caller names: an account, a staff member). Their rates live in
``settings.EROZGAR_RATE_LIMITS``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from erozgar.errors import DomainError


def client_address(request: HttpRequest) -> str:
    """The address of the client as the last trusted proxy saw it (``REMOTE_ADDR`` without one)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
        hops = [hop for hop in hops if hop]
        # Fewer hops than trusted proxies: the request did not come through all of them, so
        # nothing in the header can be believed; it counts as the nearest proxy's (stricter).
        if len(hops) >= proxies:
            try:
                return str(ipaddress.ip_address(hops[-proxies]))
            except ValueError:
                pass
    return remote or "unknown"


@dataclass
class Usage:
    """What one :func:`consume` took, so that it can be given back (a login that succeeded)."""

    taken: allauth_ratelimit.RateLimitUsage | None

    def rollback(self) -> None:
        if self.taken is not None:
            self.taken.rollback()


class TooManyRequests(DomainError):
    http_status = 429
    code = "throttled"


def consume(request: HttpRequest | None, action: str, *, key: str | None = None) -> Usage | None:
    """Count one attempt at ``action``; None when any of its limits is spent (nothing is counted then).

    GET requests count too (a look-up page is a GET). ``request`` may be None for limits that
    are all per ``key``.
    """
    usage = allauth_ratelimit.consume(
        request,  # type: ignore[arg-type]
        app="erozgar",
        action=action,
        config=settings.EROZGAR_RATE_LIMITS,
        key=key,
        limit_get=True,
    )
    return None if usage is None else Usage(usage)


def is_spent(request: HttpRequest | None, action: str, *, key: str | None = None) -> bool:
    """Whether one more attempt at ``action`` would be refused (counts nothing)."""
    usage = allauth_ratelimit.consume(
        request,  # type: ignore[arg-type]
        app="erozgar",
        action=action,
        config=settings.EROZGAR_RATE_LIMITS,
        key=key,
        limit_get=True,
        dry_run=True,
    )
    return usage is None


def rate_limited(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page limited per client address by ``action``: past the limit it answers the 429 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if consume(request, action) is None:
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
