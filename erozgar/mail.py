"""Links for emails, PDFs and calendar files. Email itself leaves through the outbox (``outbox/``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args: Any) -> str:
    """A full link for emails, PDFs and calendar files (SITE_URL + the reversed path)."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)
