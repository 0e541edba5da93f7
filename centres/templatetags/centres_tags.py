"""Small display helpers for centre pages, and the header's question "does this person work at a centre?"."""

from __future__ import annotations

from typing import Any

from django import template

from centres import selectors
from erozgar.templatetags.money import pkr

register = template.Library()


# The project-wide money filter, also reachable from ``{% load centres_tags %}``.
register.filter("pkr", pkr)


@register.simple_tag(takes_context=True)
def works_at_a_centre(context: Any) -> bool:
    """Whether to show the signed-in person the "Centre desk" link: read on the page that shows it.

    Asked afresh on every page (one query, none for anonymous visitors), so a membership
    added or ended by a manager shows at once, not at the person's next login.
    """
    return selectors.works_at_a_centre(context.get("user"))
