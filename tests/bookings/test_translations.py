"""Every string of the bookings app reads in Urdu, with the same placeholders as the English."""

from __future__ import annotations

from tests.i18n import urdu_catalogue_problems


def test_every_booking_string_has_an_urdu_translation_with_its_placeholders() -> None:
    assert urdu_catalogue_problems("bookings", at_least=151) == []
