"""Small display helpers for centre pages, and the header's question "does this person work at a centre?"."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from centres import selectors

register = template.Library()


@register.filter
def pkr(amount: int | None) -> str:
    """Whole rupees as people write them: "Rs 3,500"."""
    if amount is None:
        return ""
    return _("Rs %(amount)s") % {"amount": intcomma(amount, use_l10n=False)}


@register.simple_tag(takes_context=True)
def works_at_a_centre(context: Any) -> bool:
    """Whether to show the signed-in person the "Centre desk" link: read on the page that shows it.

    Asked afresh on every page (one query, none for anonymous visitors), so a membership
    added or ended by a manager shows at once, not at the person's next login.
    """
    return selectors.works_at_a_centre(context.get("user"))
