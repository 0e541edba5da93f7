"""Every field rule of the registration: what is accepted, how it is stored, what is refused and why."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from freelancers import rules
from freelancers.identifiers import display_mobile, parse_cnic, parse_mobile

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("35202-1234567-3", "35202-1234567-3"),
        ("3520212345673", "35202-1234567-3"),
        ("  61101-7654321-9 ", "61101-7654321-9"),
    ],
)
def test_cnic_with_or_without_dashes_is_stored_in_one_canonical_form(typed: str, stored: str) -> None:
    assert rules.clean_cnic(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "35202-1234567",
        "352021234567",
        "35202123456789",
        "3520A-1234567-3",
        "35202-123456-73",
        "abcdefghijklm",
        "٣٥٢٠٢١٢٣٤٥٦٧٣",
        "35202 1234567 3",
        "",
    ],
)
def test_cnic_that_is_not_13_digits_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        rules.clean_cnic(typed)
    assert "35202-1234567-3" in error.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    ["0300-1234567", "03001234567", "+92 300 1234567", "923001234567", "+923001234567", "0092 300 1234567"],
)
def test_pakistani_mobile_in_any_common_format_becomes_e164(typed: str) -> None:
    assert rules.clean_mobile(typed) == "+923001234567"
    assert display_mobile("+923001234567") == "0300-1234567"


@pytest.mark.parametrize(
    "typed", ["051-1234567", "0300-123456", "+44 7700 900123", "hello", "0300-12345678", "+92"]
)
def test_landline_foreign_or_short_numbers_are_refused_as_mobile(typed: str) -> None:
    assert parse_mobile(typed) is None
    with pytest.raises(ValidationError, match="0300-1234567"):
        rules.clean_mobile(typed)


def test_person_exactly_18_today_may_register() -> None:
    assert rules.clean_date_of_birth(datetime.date(2008, 11, 29), today=TODAY)


def test_person_one_day_short_of_18_is_refused() -> None:
    with pytest.raises(ValidationError, match="18 or older"):
        rules.clean_date_of_birth(datetime.date(2008, 11, 30), today=TODAY)


def test_leap_day_birthday_turns_18_on_28_february() -> None:
    assert rules.clean_date_of_birth(datetime.date(2008, 2, 29), today=datetime.date(2026, 2, 28))


def test_future_or_implausible_birth_dates_are_refused() -> None:
    with pytest.raises(ValidationError, match="future"):
        rules.clean_date_of_birth(datetime.date(2027, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="year of birth"):
        rules.clean_date_of_birth(datetime.date(1900, 1, 1), today=TODAY)


@pytest.mark.parametrize(
    "name", ["Ayesha Khan", "Muhammad Ali Jinnah", "عائشہ خان", "O'Neil D'Souza", "M. Usman-Ali"]
)
def test_real_names_in_latin_or_urdu_script_are_accepted(name: str) -> None:
    assert rules.clean_person_name(name, label="Full name") == name


def test_a_10000_character_name_is_refused_saying_how_long_it_may_be() -> None:
    with pytest.raises(ValidationError) as error:
        rules.clean_person_name("A" * 10_000, label="Full name")
    assert "150" in error.value.messages[0] and "10000" in error.value.messages[0]


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "1234", "Ayesha\x00Khan", "A", "Ayesha\u202eKhan"]
)
def test_names_with_markup_digits_or_control_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        rules.clean_person_name(name, label="Full name")


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("upwork", "https://www.upwork.com/freelancers/~01abc"),
        ("fiverr", "https://fiverr.com/sana"),
        ("freelancer", "https://www.freelancer.com/u/sana"),
        ("peopleperhour", "https://www.peopleperhour.com/freelancer/sana"),
        ("linkedin", "https://pk.linkedin.com/in/sana"),
        ("github", "http://github.com/sana"),
        ("portfolio", "https://sana.design/work"),
    ],
)
def test_profile_links_on_the_named_platform_are_accepted(platform: str, url: str) -> None:
    assert rules.clean_profile_link(platform=platform, url=url) == (platform, url)


@pytest.mark.parametrize(
    ("platform", "url", "says"),
    [
        ("upwork", "javascript:alert(document.cookie)", "https://"),
        ("upwork", "https://upwork.com.evil.pk/freelancers/x", "upwork.com"),
        ("upwork", "https://notupwork.com/x", "upwork.com"),
        ("fiverr", "https://www.upwork.com/freelancers/x", "fiverr.com"),
        ("github", "ftp://github.com/sana", "https://"),
        ("portfolio", "http://127.0.0.1/admin", "https://"),
        ("portfolio", "http://localhost:8000/", "https://"),
        ("portfolio", "https://user:pass@example.com/", "https://"),
        ("portfolio", "data:text/html,<script>alert(1)</script>", "https://"),
        ("portfolio", "www.example.com", "https://"),
        ("myspace", "https://myspace.com/sana", "platform"),
    ],
)
def test_profile_links_that_are_not_real_http_links_on_the_platform_are_refused(
    platform: str, url: str, says: str
) -> None:
    with pytest.raises(ValidationError) as error:
        rules.clean_profile_link(platform=platform, url=url)
    assert says in error.value.messages[0]


def test_ntn_is_stored_as_digits_and_junk_is_refused() -> None:
    assert rules.clean_ntn("1234567-8") == "12345678"
    with pytest.raises(ValidationError, match="NTN"):
        rules.clean_ntn("NTN-ABC")


def test_parse_cnic_never_guesses_from_partial_input() -> None:
    assert parse_cnic("35202-1234567-") is None
