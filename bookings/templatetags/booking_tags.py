"""How booking pages and emails say when a booking is: one wording for the review, the detail,
the lists, the desk and the emails."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bookings import rules

register = template.Library()


def isolates_to_html(text: str) -> SafeString:
    """Escape ``text`` and turn its left-to-right isolates (U+2066 ... U+2069) into
    ``<span dir="ltr">``: the same isolation, in markup a browser and axe understand."""
    html = str(escape(text)).replace("\u2066", '<span dir="ltr">').replace("\u2069", "</span>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own spans are added


@register.filter
def when(booking: Any) -> SafeString:
    """A booking's (or a booking option's) dates and times, for HTML pages."""
    return isolates_to_html(rules.when_label(booking.product, booking.starts_at, booking.ends_at))


@register.filter
def when_text(booking: Any) -> str:
    """The same for plain-text emails (the isolate characters stay)."""
    return rules.when_label(booking.product, booking.starts_at, booking.ends_at)
