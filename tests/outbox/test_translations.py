"""Every string of the outbox's admin reads in Urdu, with the same placeholders as the English."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "outbox" / "locale" / "ur" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_outbox_string_has_an_urdu_translation_with_its_placeholders() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="ur")
    messages = [m for m in catalogue if m.id]
    assert len(messages) >= 28
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"no Urdu for {ids[0]!r}"
        assert "fuzzy" not in message.flags
        for english, urdu in zip(ids, strings, strict=False):
            assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(urdu)), english
