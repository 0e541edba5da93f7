"""Ids in URLs that are digits to Python but not to PostgreSQL get a 404, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from erozgar.ids import parse_id
from tests.freelancers.factories import UserFactory

HOSTILE = ["²", "٣", "9" * 19, "99999999999999999999999999", "-1", "1.0", " ", "0x10"]


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_id_refuses_what_is_not_a_plain_bigint(text: str) -> None:
    assert parse_id(text) is None


def test_parse_id_reads_plain_ids() -> None:
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(10) == 10


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["²", "9" * 25])
@pytest.mark.parametrize(
    "url", ["/api/v1/bookings/{}/", "/api/v1/centres/{}/", "/api/v1/centres/{}/availability/?date=2026-12-01"]
)
def test_api_answers_404_for_hostile_ids(url: str, text: str, settings: Any) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.get(url.format(text))
    assert response.status_code in (400, 404), (url, text, response.status_code)
