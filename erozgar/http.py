"""The request type the portal's views see: django-htmx's middleware adds ``request.htmx``."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """``request.htmx`` is truthy when htmx made the request (its ``HX-Request`` header)."""

    htmx: HtmxDetails
