"""Field rules of the registration form, in one place for the pages, the API and the admin.

Each function takes what a person typed and returns the value to store, or raises
``ValidationError`` with a translated message that says what to fix.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centres.models import Province
from erozgar import text
from freelancers.identifiers import normalise_cnic, normalise_mobile
from freelancers.models import PLATFORM_HOSTS, Gender, Platform

MIN_AGE_YEARS = 18
MAX_AGE_YEARS = 100
MAX_PROFILES = 8


def _plain_text(value: str, *, max_length: int, min_length: int = 1, label: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > max_length:
        raise ValidationError(
            _("%(label)s can be at most %(max)d characters (you entered %(length)d)."),
            code="max_length",
            params={"label": label, "max": max_length, "length": len(value)},
        )
    if len(value) < min_length:
        raise ValidationError(_("%(label)s is too short."), code="min_length", params={"label": label})
    if text.has_unsafe_characters(value):
        raise ValidationError(
            _("%(label)s contains characters that cannot be used."), code="control", params={"label": label}
        )
    return value


def clean_person_name(value: str, *, label: str) -> str:
    value = _plain_text(value, max_length=150, min_length=2, label=label)
    if not text.is_person_name(value):
        raise ValidationError(
            _("%(label)s should contain letters only (spaces, dots, hyphens and apostrophes are fine)."),
            code="invalid_name",
            params={"label": label},
        )
    return value


def clean_date_of_birth(value: datetime.date, *, today: datetime.date) -> datetime.date:
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    eighteenth = _add_years(value, MIN_AGE_YEARS)
    if eighteenth > today:
        raise ValidationError(
            _("You must be 18 or older to register as a freelancer with PSEB."), code="too_young"
        )
    if _add_years(value, MAX_AGE_YEARS) < today:
        raise ValidationError(_("Please check the year of birth."), code="too_old")
    return value


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def clean_gender(value: str) -> str:
    if value not in Gender.values:
        raise ValidationError(_("Choose one of the options."), code="invalid_choice")
    return value


def clean_province(value: str) -> str:
    if value not in Province.values:
        raise ValidationError(_("Choose a province or territory from the list."), code="invalid_choice")
    return value


def clean_city(value: str) -> str:
    return _plain_text(value, max_length=100, min_length=2, label=str(_("City")))


def clean_address(value: str) -> str:
    return _plain_text(value, max_length=300, min_length=5, label=str(_("Address")))


def clean_cnic(value: str) -> str:
    return normalise_cnic(value)


def clean_mobile(value: str) -> str:
    return normalise_mobile(value)


def clean_years_of_experience(value: int) -> int:
    if not 0 <= value <= 60:
        raise ValidationError(_("Enter the years of experience as a number from 0 to 60."), code="range")
    return value


def clean_ntn(value: str) -> str:
    """NTN: 7 digits and a check digit, written `1234567-8`; stored as digits."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"[0-9]{7,9}", digits) or not digits.isascii():
        raise ValidationError(
            _("Enter the NTN as 7 to 9 digits, for example 1234567-8, or leave it empty."), code="invalid_ntn"
        )
    return digits


def clean_profile_link(*, platform: str, url: str) -> tuple[str, str]:
    """A real http(s) address on the named platform's site (any site for a portfolio)."""
    if platform not in Platform.values:
        raise ValidationError(_("Choose the platform this link belongs to."), code="invalid_platform")
    url = (url or "").strip()
    bad_link = ValidationError(
        _("Enter the full address of your profile, starting with https://"), code="invalid_url"
    )
    if not url or len(url) > 300 or not url.isascii() or any(ch.isspace() for ch in url):
        raise bad_link
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        raise bad_link from None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise bad_link
    if (
        port not in (None, 80, 443)
        or "." not in host
        or _is_ip(host)
        or host.endswith((".local", ".localhost"))
    ):
        raise bad_link
    expected = PLATFORM_HOSTS[platform]
    if expected is not None and not (host == expected or host.endswith("." + expected)):
        raise ValidationError(
            _("This link is not on %(site)s. Paste the address of your %(platform)s profile."),
            code="wrong_platform",
            params={"site": expected, "platform": Platform(platform).label},
        )
    return platform, url


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
