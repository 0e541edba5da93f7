"""Every string of the centres app has an Urdu translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "centres" / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_every_centres_string_is_translated_to_urdu():
    with PO.open("rb") as handle:
        catalog = read_po(handle)

    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (not all(message.string) if isinstance(message.string, tuple) else not message.string)
    ]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]

    assert len(catalog) > 250
    assert untranslated == []
    assert fuzzy == []
