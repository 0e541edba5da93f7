"""Pakistani identifiers: CNIC and mobile numbers, parsed into one canonical form.

Format checks only: a CNIC has no public checksum and its digits tell us nothing we
may rely on (not even gender), so none of that is inferred here.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CNIC_DASHED = re.compile(r"^([0-9]{5})-([0-9]{7})-([0-9])$")
_CNIC_PLAIN = re.compile(r"^([0-9]{5})([0-9]{7})([0-9])$")

CNIC_MESSAGE = _("Enter the CNIC as 13 digits, with or without dashes, for example 35202-1234567-3.")
MOBILE_MESSAGE = _("Enter a Pakistani mobile number, for example 0300-1234567 or +92 300 1234567.")


def parse_cnic(text: str) -> str | None:
    """`3520212345673`, `35202-1234567-3` (spaces around allowed) -> `35202-1234567-3`; else None."""
    value = (text or "").strip()
    match = _CNIC_DASHED.match(value) or _CNIC_PLAIN.match(value)
    if not match or not value.isascii():
        return None
    return "-".join(match.groups())


def normalise_cnic(text: str) -> str:
    cnic = parse_cnic(text)
    if cnic is None:
        raise ValidationError(CNIC_MESSAGE, code="invalid_cnic")
    return cnic


def parse_mobile(text: str) -> str | None:
    """Any common way of writing a Pakistani mobile number -> E.164 `+923XXXXXXXXX`; else None."""
    value = (text or "").strip()
    if not value or len(value) > 25 or not value.isascii():
        return None
    if re.fullmatch(r"92[0-9]{10}", value) or re.fullmatch(r"0092[0-9]{10}", value):
        value = "+" + value.removeprefix("00")
    try:
        number = phonenumbers.parse(value, "PK")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 92 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164 if re.fullmatch(r"\+923[0-9]{9}", e164) else None


def normalise_mobile(text: str) -> str:
    mobile = parse_mobile(text)
    if mobile is None:
        raise ValidationError(MOBILE_MESSAGE, code="invalid_mobile")
    return mobile


def display_mobile(e164: str | None) -> str:
    """`+923001234567` -> `0300-1234567`, the way people in Pakistan write it."""
    value = e164 or ""
    if not re.fullmatch(r"\+923[0-9]{9}", value):
        return value
    return f"0{value[3:6]}-{value[6:]}"


def mask_mobile(e164: str | None) -> str:
    """`+923001234567` -> `0300-*****67`: the network and the last two digits, for lists and exports."""
    shown = display_mobile(e164)
    return f"{shown[:5]}*****{shown[-2:]}" if re.fullmatch(r"03[0-9]{2}-[0-9]{7}", shown) else ""


# A run of digits with the separators people type between them, long enough to be an identifier.
_DIGIT_RUN = re.compile(r"(?<![0-9])\+?[0-9][0-9 \-]{8,17}[0-9](?![0-9])")


def redact_identifiers(text: str) -> str:
    """Free text with every CNIC and Pakistani mobile number in it masked.

    For what staff type where a person will read it and an audit keeps it (a reviewer's
    reason, a cancellation note): the identifier is already known to the person, and the
    database must not hold it in clear.
    """

    def mask(match: re.Match[str]) -> str:
        written = match.group(0)
        digits = re.sub(r"[^0-9]", "", written)
        if len(digits) == 13 and not written.startswith("+"):
            return f"{digits[:5]}-*******-{digits[-1]}"
        mobile = parse_mobile(written)
        return mask_mobile(mobile) if mobile else written

    return _DIGIT_RUN.sub(mask, text or "")
