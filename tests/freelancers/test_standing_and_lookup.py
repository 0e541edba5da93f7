"""`registration_standing` (used by bookings) and the desk look-up by CNIC or mobile."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from freelancers.selectors import find_registration_by_cnic_or_mobile, registration_standing
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_standing_is_none_without_a_registration_or_for_anonymous() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert registration_standing(UserFactory()) == "none"
    assert registration_standing(AnonymousUser()) == "none"
    assert registration_standing(None) == "none"


@pytest.mark.parametrize(
    ("traits", "standing"),
    [
        ({}, "draft"),
        ({"submitted": True}, "submitted"),
        ({"changes_requested": True}, "submitted"),
        ({"approved": True}, "approved"),
        ({"status": "approved"}, "approved"),
        ({"rejected": True}, "rejected"),
        ({"expired": True}, "expired"),
    ],
)
def test_standing_names_each_status(traits: dict[str, object], standing: str) -> None:
    registration = RegistrationFactory(**traits)
    assert registration_standing(registration.user) == standing


def test_approved_registration_past_its_validity_is_expired_before_the_nightly_task() -> None:
    registration = RegistrationFactory(approved=True)
    with time_machine.travel(registration.valid_until + datetime.timedelta(days=1)):
        assert registration_standing(registration.user) == "expired"


@pytest.mark.parametrize("typed", ["35202-1234567-3", "3520212345673", " 35202-1234567-3 "])
def test_desk_finds_a_registration_by_cnic_with_or_without_dashes(typed: str) -> None:
    registration = RegistrationFactory(submitted=True, cnic="35202-1234567-3")
    assert find_registration_by_cnic_or_mobile(typed) == registration


@pytest.mark.parametrize("typed", ["0300-1234567", "03001234567", "+92 300 1234567", "923001234567"])
def test_desk_finds_a_registration_by_mobile_in_any_pakistani_format(typed: str) -> None:
    registration = RegistrationFactory(approved=True, mobile="+923001234567")
    assert find_registration_by_cnic_or_mobile(typed) == registration


def test_desk_lookup_finds_nothing_for_drafts_unknown_numbers_or_junk() -> None:
    RegistrationFactory(cnic="35202-1234567-3", mobile="+923001234567")
    assert find_registration_by_cnic_or_mobile("35202-1234567-3") is None
    assert find_registration_by_cnic_or_mobile("61101-7654321-9") is None
    assert find_registration_by_cnic_or_mobile("hello") is None
    assert find_registration_by_cnic_or_mobile("") is None
