"""The ``pkr`` filter, built into every template (settings: TEMPLATES builtins): ``{{ price|pkr }}``."""

from __future__ import annotations

from django import template

from erozgar.money import rupees

register = template.Library()


@register.filter
def pkr(amount: int | None) -> str:
    """Whole rupees as people write them: "Rs 3,500" ("3,500 روپے" in Urdu)."""
    return rupees(amount)
