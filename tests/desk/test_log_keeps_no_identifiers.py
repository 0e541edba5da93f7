"""The desk log never keeps what a clerk typed when it was not a booking reference.

A clerk types a CNIC or a phone number into the scanner box, or looks up somebody who is
not registered: the log says that it happened (and can tell the same input came twice),
never what the input was.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from desk.models import DeskAction
from desk.scans import DeskRefusal, desk_check_in, desk_check_out, desk_lookup

pytestmark = pytest.mark.django_db

TYPED = ["35202-1234567-1", "3520212345671", "0300-1234567", "+92 300 1234567", "Ayesha 0300 1234567"]


def logged(centre: Any) -> str:
    rows = DeskAction.objects.filter(centre=centre).values("summary", "data", "nonce")
    return json.dumps(list(rows), ensure_ascii=False)


@pytest.mark.parametrize("typed", TYPED)
def test_an_identifier_typed_into_check_in_or_check_out_is_not_logged(
    centre: Any, clerk: Any, typed: str
) -> None:
    for scan in (desk_check_in, desk_check_out):
        with pytest.raises(DeskRefusal):
            scan(centre=centre, actor=clerk, reference=typed)
    log = logged(centre)
    assert DeskAction.objects.filter(centre=centre).count() == 2
    assert "1234567" not in log and "520212" not in log


def test_the_same_unrecognised_input_gets_the_same_fingerprint_and_another_a_different_one(
    centre: Any, clerk: Any
) -> None:
    for typed in ("35202-1234567-1", "35202-1234567-1", "35202-7654321-1"):
        with pytest.raises(DeskRefusal):
            desk_check_in(centre=centre, actor=clerk, reference=typed)
    prints = [a.data["unrecognised_input"] for a in DeskAction.objects.filter(centre=centre).order_by("id")]
    assert prints[0] == prints[1] != prints[2] and len(prints[0]) == 16


def test_a_booking_reference_that_matched_nothing_is_kept_as_typed(centre: Any, clerk: Any) -> None:
    with pytest.raises(DeskRefusal):
        desk_check_in(centre=centre, actor=clerk, reference="k7m2qx9p")
    assert DeskAction.objects.get(centre=centre).data["reference"] == "K7M2QX9P"


def test_a_look_up_logs_who_was_found_but_never_the_number(
    centre: Any, clerk: Any, registration: Any
) -> None:
    desk_lookup(centre=centre, actor=clerk, text="0300-1234567")
    desk_lookup(centre=centre, actor=clerk, text="35202-9999999-9")
    found, missed = DeskAction.objects.filter(centre=centre).order_by("id")
    assert (
        found.summary == "Looked up a mobile number: found"
        and found.data["registration_id"] == registration.pk
    )
    assert missed.summary == "Looked up a CNIC: nobody found" and "unrecognised_input" in missed.data
    log = logged(centre)
    assert "1234567" not in log and "9999999" not in log


def test_through_the_api_and_the_pages_the_log_stays_clean(centre: Any, clerk: Any) -> None:
    client = Client()
    client.force_login(clerk)
    client.post(f"/api/v1/desk/{centre.pk}/check-in/", {"reference": "35202-1234567-1"})
    client.post(f"/api/v1/desk/{centre.pk}/check-out/", {"reference": "0300 1234567"})
    client.post(f"/desk/{centre.slug}/check-out/", {"reference": "3520212345671"})
    client.get(f"/desk/{centre.slug}/find/", {"q": "35202-1234567-1"})
    assert DeskAction.objects.filter(centre=centre).count() == 4
    log = logged(centre)
    assert "1234567" not in log and "520212" not in log
