"""Names are letters; labels, addresses and reasons carry no invisible controls. Urdu keeps working."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from centres.models import StaffRole
from erozgar.text import has_unsafe_characters, is_person_name
from tests.bookings.factories import BookingFactory, CabinFactory, tomorrow_at
from tests.centres.factories import CentreFactory, StaffMembershipFactory, weekdays_open
from tests.foundation.tokens import token_client
from tests.freelancers.factories import RegistrationFactory

URDU_NAMES = ["محمد علی", "عائشہ خان", "ثناء بتول", "مُحَمَّد اَکرم", "Zoë O'Brien-Khan", "Syed M. Ali", "D’Souza"]
# Text people really type: an Urdu address with Urdu digits, a ZWNJ inside a word (U+200C
# between two Arabic-script letters, as Urdu and Persian keyboards type it), a coffee cup.
URDU_TEXTS = [
    "مکان نمبر ۵، گلی ۲، ماڈل ٹاؤن، لاہور",
    "کتاب\u200cخانہ",
    "می\u200cخواهم",
    "Cabin ☕ near the window",
    "House 12\nStreet 4\nG-9/2, Islamabad",
]
BIDI_AND_INVISIBLE = [
    "Cabin \u202e7",  # RIGHT-TO-LEFT OVERRIDE: "Cabin 7" displayed reversed
    "Cabin \u2066A\u2069",  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
    "Cabin\u200b7",  # ZERO WIDTH SPACE
    "Cabin\u200d7",  # ZERO WIDTH JOINER
    "\ufeffCabin 7",  # BYTE ORDER MARK
    "Cabin\u200c7",  # ZWNJ between Latin letters/digits: no script needs it there
    "Cabin 7\x07",  # BELL
    "Cabin\u061c7",  # ARABIC LETTER MARK (a bidi control)
]
NOT_NAMES = ["Ayesha 😀", "Ayesha 2", "Ayesha\x07", "\u202eahsyA", "Aye\u200bsha", "Ay<b>esha", "Айша", "😀"]


@pytest.mark.parametrize("name", URDU_NAMES)
def test_real_names_in_urdu_and_english_are_names(name: str) -> None:
    assert is_person_name(name) and not has_unsafe_characters(name)


@pytest.mark.parametrize("name", NOT_NAMES)
def test_emoji_digits_controls_and_other_scripts_are_not_names(name: str) -> None:
    assert not is_person_name(name) or has_unsafe_characters(name)


@pytest.mark.parametrize("value", URDU_TEXTS)
def test_urdu_text_with_its_zwnj_is_safe(value: str) -> None:
    assert not has_unsafe_characters(value)


@pytest.mark.parametrize("value", BIDI_AND_INVISIBLE)
def test_bidi_overrides_zero_width_and_controls_are_unsafe(value: str) -> None:
    assert has_unsafe_characters(value)


# --- through the API and the pages, as someone would send them ------------------------------


@pytest.fixture
def world(db: Any, make_user: Any) -> dict[str, Any]:
    centre = CentreFactory(slug="lahore-arfa", status="active")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin A")
    manager = make_user()
    StaffMembershipFactory(user=manager, centre=centre, role=StaffRole.MANAGER)
    freelancer = RegistrationFactory(submitted=True).user
    return {"centre": centre, "cabin": cabin, "manager": manager, "freelancer": freelancer}


def api(user: Any) -> Client:
    return token_client(user)


@pytest.mark.parametrize("name", ["Ayesha 😀", "\u202eahsyA Khan", "Ayesha 2"])
def test_the_api_refuses_a_name_that_is_not_letters(db: Any, make_user: Any, name: str) -> None:
    response = api(make_user()).put(
        "/api/v1/me/registration/", {"full_name": name}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["full_name"]


def test_the_api_keeps_urdu_names_and_addresses(db: Any, make_user: Any) -> None:
    body = {"full_name": "مُحَمَّد اَکرم", "guardian_name": "ثناء بتول", "address": URDU_TEXTS[0]}
    response = api(make_user()).put("/api/v1/me/registration/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "مُحَمَّد اَکرم"


def test_the_registration_page_refuses_an_emoji_name_with_a_message(db: Any, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post(
        "/registration/identity/", {"full_name": "Ayesha 😀", "guardian_name": "Tariq Khan"}
    )
    assert response.status_code == 200
    assert "should contain letters only" in response.content.decode()


@pytest.mark.parametrize("label", BIDI_AND_INVISIBLE[:5])
def test_a_space_label_with_a_bidi_override_or_zero_width_character_is_refused(
    world: dict[str, Any], label: str
) -> None:
    url = f"/api/v1/centres/{world['centre'].pk}/spaces/"
    response = api(world["manager"]).post(
        url, {"kind": "cabin", "label": label, "rate_daily_pkr": 500}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "invisible control" in response.json()["fields"]["label"][0]


def test_an_urdu_space_label_with_zwnj_is_kept(world: dict[str, Any]) -> None:
    url = f"/api/v1/centres/{world['centre'].pk}/spaces/"
    response = api(world["manager"]).post(
        url,
        {"kind": "cabin", "label": "کتاب\u200cخانہ", "rate_daily_pkr": 500},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_a_closure_reason_with_a_zero_width_space_is_refused(world: dict[str, Any]) -> None:
    url = f"/api/v1/centres/{world['centre'].pk}/closures/"
    response = api(world["manager"]).post(
        url, {"date": "2031-01-01", "reason": "Eid\u200b holiday"}, content_type="application/json"
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["reason"]


def test_a_cancel_reason_with_a_bidi_override_is_refused(world: dict[str, Any]) -> None:
    booking = BookingFactory(
        user=world["freelancer"], space=world["cabin"], starts_at=tomorrow_at(10), ends_at=tomorrow_at(12)
    )
    response = api(world["freelancer"]).post(
        f"/api/v1/bookings/{booking.reference}/cancel/",
        {"reason": "\u202eyaw ym"},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["reason"]


def test_a_centre_name_or_address_with_a_bidi_override_fails_model_validation(world: dict[str, Any]) -> None:
    """The admin's forms and the CSV import validate through the model's fields."""
    from django.core.exceptions import ValidationError

    centre = world["centre"]
    centre.name, centre.address = "Arfa \u202eTower", "Plot 1\u200b, Ferozepur Road"
    with pytest.raises(ValidationError) as refused:
        centre.full_clean()
    assert {"name", "address"} <= set(refused.value.message_dict)
