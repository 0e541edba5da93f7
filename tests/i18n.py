"""Finding the strings marked for translation in our sources, and those that do not read in Urdu."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

BASE = Path(settings.BASE_DIR)
URDU_LETTERS = re.compile(r"[\u0600-\u06FF]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
DJANGO_KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def marked_strings(sources: Iterable[str]) -> Iterator[tuple[str, str | tuple[str, str], str | None]]:
    """Every string marked for translation under ``sources`` (files or folders), as makemessages finds it."""
    for source in sources:
        root = BASE / source
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            code = path.read_text(encoding="utf-8")
            if path.suffix != ".py":
                # templatize() writes gettext() calls in a Python-like text for xgettext; babel's
                # Python tokenizer also needs the indentation gone.
                code = "\n".join(line.lstrip() for line in templatize(code, origin=str(path)).splitlines())
            for _line, message, _comments, context in extract(
                "python", io.BytesIO(code.encode()), keywords=DJANGO_KEYWORDS
            ):
                yield str(path.relative_to(BASE)), message, context


def not_in_urdu(sources: Iterable[str]) -> list[tuple[str, str]]:
    """(path, English) of each marked string whose Urdu is missing or not in Urdu script."""
    untranslated = []
    with translation.override("ur"):
        for path, message, context in marked_strings(sources):
            singular = message[0] if isinstance(message, tuple) else message
            if isinstance(message, tuple):
                urdu = (
                    translation.npgettext(context, message[0], message[1], 2)
                    if context
                    else translation.ngettext(message[0], message[1], 2)
                )
            else:
                urdu = translation.pgettext(context, message) if context else translation.gettext(message)
            if urdu == singular or urdu == message[-1] or not URDU_LETTERS.search(urdu):
                untranslated.append((path, singular))
    return untranslated


def urdu_catalogue_problems(app: str, *, at_least: int) -> list[str]:
    """What is wrong with ``<app>/locale/ur/LC_MESSAGES/django.po``: a missing or fuzzy
    translation, or an Urdu string whose placeholders differ from the English. Empty when fine."""
    with (BASE / app / "locale" / "ur" / "LC_MESSAGES" / "django.po").open("rb") as handle:
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
