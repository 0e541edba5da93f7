"""Reading database ids from text that people and programs send (URLs, forms, JSON)."""

from __future__ import annotations


def parse_id(value: object) -> int | None:
    """The id in ``value``, or None unless it is plain ASCII digits that fit a bigint.

    ``str.isdigit`` alone also accepts "²" and "٣" (which ``int`` rejects or reads
    differently) and numbers past PostgreSQL's bigint: both used to end in a 500.
    """
    text = str(value).strip()
    if not text or len(text) > 18 or not text.isascii() or not text.isdigit():
        return None
    return int(text)
