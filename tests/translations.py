"""Checks on an app's Urdu catalogue, shared by the apps' translation tests."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def urdu_catalogue_problems(app: str, *, at_least: int) -> list[str]:
    """What is wrong with ``<app>/locale/ur/LC_MESSAGES/django.po``: a missing or fuzzy
    translation, or an Urdu string whose placeholders differ from the English. Empty when fine."""
    with (ROOT / app / "locale" / "ur" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        messages = [m for m in read_po(handle, locale="ur") if m.id]
    problems = [] if len(messages) >= at_least else [f"only {len(messages)} messages"]
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or "fuzzy" in message.flags:
            problems.append(f"no Urdu for {ids[0]!r}")
        for english, urdu in zip(ids, strings, strict=False):
            if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(urdu)):
                problems.append(f"placeholders differ in {english!r}")
    return problems
