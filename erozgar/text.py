"""What people may type into names, labels and addresses: one rule for forms, the API and the admin.

``freelancers.rules`` applies the name rule to registrations; model fields, services and
serializers apply the plain-text rule to centre names, addresses, space labels, closure and
cancellation reasons.

Names (a freelancer's, a father's or husband's) are letters of the Latin or the
Arabic script (Urdu), with spaces and a few marks: ``. ' - ’``. No digits, symbols or
emoji.

Labels, addresses and reasons may hold any visible text, emoji included, but no control
or formatting characters: bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069)
can make "Cabin 7" display as something else, zero-width characters (U+200B, U+200D,
U+FEFF) make two equal-looking labels differ, and C0/C1 controls break CSV files and
terminals. The one exception is ZERO WIDTH NON-JOINER (U+200C) between two Arabic-script
letters: Urdu and Persian typing uses it inside words (a letter that must not join the
next), so it is allowed there and nowhere else.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from erozgar.errors import DomainError

ZWNJ = "\u200c"
NAME_MARKS = frozenset(" .'-\u2019")
ALLOWED_CONTROLS = frozenset("\n\r\t")  # multi-line addresses and reasons

UNSAFE_MESSAGE = _(
    "Remove the invisible control or formatting characters (such as direction marks or "
    "zero-width spaces) from this text."
)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0]  # "LATIN", "ARABIC", ...


def _is_arabic_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and _script(ch) == "ARABIC"


def _zwnj_between_arabic_letters(text: str, index: int) -> bool:
    return (
        0 < index < len(text) - 1
        and _is_arabic_letter(text[index - 1])
        and _is_arabic_letter(text[index + 1])
    )


def has_unsafe_characters(text: str) -> bool:
    """True when ``text`` holds a control, format, private-use, surrogate or unassigned character."""
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in ALLOWED_CONTROLS:
            return True
        if category == "Cf" and not (ch == ZWNJ and _zwnj_between_arabic_letters(text, index)):
            return True
        if category in ("Co", "Cs", "Cn", "Zl", "Zp"):
            return True
    return False


def is_person_name(text: str) -> bool:
    """Letters of the Latin or Arabic script (with their combining marks), spaces and . ' - ’."""
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        return False
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch in NAME_MARKS:
            continue
        if ch == ZWNJ and _zwnj_between_arabic_letters(text, index):
            continue
        if category.startswith("L") and _script(ch) in ("LATIN", "ARABIC"):
            continue
        if category.startswith("M") and index > 0:  # Urdu's diacritics (zer, zabar, pesh) and accents
            continue
        return False
    return True


def validate_plain_text(value: str) -> None:
    """Django validator for labels, addresses and reasons."""
    if value and has_unsafe_characters(str(value)):
        raise ValidationError(UNSAFE_MESSAGE, code="unsafe_characters")


def refuse_unsafe(**values: str | None) -> None:
    """For services: a DomainError naming each field whose text has unsafe characters."""
    bad = [name for name, value in values.items() if value and has_unsafe_characters(value)]
    if bad:
        raise DomainError(
            UNSAFE_MESSAGE, code="unsafe_characters", fields={name: [UNSAFE_MESSAGE] for name in bad}
        )
