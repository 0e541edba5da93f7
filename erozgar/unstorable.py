"""Text that no field of the portal can hold: NUL characters and unpaired surrogates.

PostgreSQL refuses NUL in text ("A string literal cannot contain NUL") and in jsonb, and
an unpaired surrogate (JSON's "\\ud800") cannot be encoded as UTF-8, so either one reached
a query, a JSON column or a response as a 500. Both are refused where a request enters:
``erozgar.middleware`` for the path, query string, urlencoded forms and headers, and
``erozgar.api.JSONParser`` for JSON bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGE = _("This contains a character that is not allowed (a NUL or an unpaired surrogate). Remove it.")

# JSON deeper than this is refused before anything walks it. Our deepest real body is 3
# levels (registration -> profiles -> one profile); 32 leaves room for clients' habits.
MAX_JSON_DEPTH = 32


def is_unstorable(text: str) -> bool:
    """True when ``text`` holds a NUL or a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class TooDeep(ValueError):
    pass


def unstorable_json_fields(data: Any, *, max_depth: int = MAX_JSON_DEPTH) -> list[str]:
    """Dotted paths (``profiles.0.url``) of parsed JSON strings, keys included, that are unstorable.

    Walks without recursion, so the depth check itself cannot overflow the stack; raises
    TooDeep past ``max_depth``.
    """
    bad: list[str] = []
    for path, value in _walk(data, max_depth):
        if isinstance(value, str) and is_unstorable(value):
            bad.append(path or "body")
    return bad


def _walk(data: Any, max_depth: int) -> Iterator[tuple[str, Any]]:
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= max_depth:
                raise TooDeep(path)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                segment = str(key)
                if is_unstorable(segment):
                    yield path or "body", segment
                    segment = "?"  # never echo the bad text back in a field name
                stack.append((f"{path}.{segment}" if path else segment, child, depth + 1))
        else:
            yield path, value
