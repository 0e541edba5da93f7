"""Small display helpers for centre pages."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pkr(amount: int | None) -> str:
    """Whole rupees as people write them: "Rs 3,500"."""
    if amount is None:
        return ""
    return _("Rs %(amount)s") % {"amount": intcomma(amount, use_l10n=False)}
