"""The project's Urdu catalogue is complete, well-formed, and covers allauth and Django's account messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from tests.i18n import URDU_LETTERS, marked_strings, not_in_urdu

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")

# Messages a person meets on the account pages that come from django-allauth or Django
# (not from our sources, so `makemessages` alone would drop them: see the catalogue's header).
THIRD_PARTY = {
    "Sign Up": "سائن اپ",
    "Sign In": "لاگ ان",
    "Sign Out": "لاگ آؤٹ",
    "Password": "پاس ورڈ",
    "Email": "ای میل",
    "Forgot your password?": "پاس ورڈ بھول گئے؟",
    "A user is already registered with this email address.": (
        "اس ای میل ایڈریس سے ایک اکاؤنٹ پہلے ہی رجسٹرڈ ہے۔"
    ),
    "Too many failed login attempts. Try again later.": (
        "لاگ ان کی بہت زیادہ ناکام کوششیں ہو چکی ہیں۔ کچھ دیر بعد دوبارہ کوشش کریں۔"
    ),
    "Verify Your Email Address": "اپنے ای میل ایڈریس کی تصدیق کریں",
    "Please Confirm Your Email Address": "براہِ کرم اپنے ای میل ایڈریس کی تصدیق کریں",
    "Password Reset Email": "پاس ورڈ ری سیٹ کی ای میل",
    "Change Password": "پاس ورڈ تبدیل کریں",
    "Email Addresses": "ای میل ایڈریسز",
    "This field is required.": "یہ خانہ پُر کرنا ضروری ہے۔",
    "This password is too common.": "یہ پاس ورڈ بہت عام ہے۔",
    "This password is entirely numeric.": "یہ پاس ورڈ صرف ہندسوں پر مشتمل ہے۔",
}


def _messages() -> list:
    with CATALOGUE.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def test_every_message_in_the_catalogue_has_an_urdu_translation() -> None:
    untranslated = [
        message.id
        for message in _messages()
        if message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string])
    ]
    assert untranslated == []


def test_translations_keep_every_placeholder_of_the_english_text() -> None:
    broken = []
    for message in _messages():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(set(PLACEHOLDER.findall(sources[-1])))
        for target in targets:
            if sorted(set(PLACEHOLDER.findall(target))) != expected:
                broken.append((sources[0], target))
    assert broken == []


def test_translations_are_written_in_urdu_script() -> None:
    in_latin = [
        m.id
        for m in _messages()
        if not URDU_LETTERS.search("".join(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert in_latin == []


@pytest.mark.parametrize(("english", "urdu"), THIRD_PARTY.items())
def test_allauth_and_django_account_messages_are_translated(english: str, urdu: str) -> None:
    with translation.override("ur"):
        assert translation.gettext(english) == urdu


def test_plural_password_rules_follow_the_number() -> None:
    with translation.override("ur"):
        one = translation.ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            1,
        )
        many = translation.ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            8,
        )
    assert one == "آپ کے پاس ورڈ میں کم از کم %(min_length)d حرف ہونا ضروری ہے۔"
    assert many == "آپ کے پاس ورڈ میں کم از کم %(min_length)d حروف ہونے ضروری ہیں۔"


# The site shell and the account pages: what this catalogue is responsible for.
SHELL_SOURCES = [
    "templates/base.html",
    "templates/home.html",
    "templates/includes",
    "templates/account",
    "templates/allauth",
    "erozgar",
    "accounts",
]


def test_every_string_marked_in_the_shell_and_account_pages_reads_in_urdu() -> None:
    assert not_in_urdu(SHELL_SOURCES) == []


def test_the_shell_has_strings_marked_for_translation_at_all() -> None:
    found = {message for _path, message, _context in marked_strings(SHELL_SOURCES)}
    assert {"Skip to main content", "Log in", "Sign up", "Hello from %(site_name)s!"} <= found
