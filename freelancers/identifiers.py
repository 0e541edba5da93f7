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


def display_mobile(e164: str) -> str:
    """`+923001234567` -> `0300-1234567`, the way people in Pakistan write it."""
    if not re.fullmatch(r"\+923[0-9]{9}", e164 or ""):
        return e164 or ""
    return f"0{e164[3:6]}-{e164[6:]}"
