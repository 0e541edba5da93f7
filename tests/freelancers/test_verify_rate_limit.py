"""Registration numbers are sequential: verification (page and API, one budget) is limited per address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NUMBERS = (f"PSEB-FL-2026-{n:06d}" for n in range(1, 10_000))


def test_walking_the_number_space_on_the_page_gets_429_whatever_forwarded_for_says() -> None:
    walker = Client(REMOTE_ADDR="198.51.100.66")
    codes = [
        walker.get(f"/verify/{next(NUMBERS)}/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(22)
    ]
    assert codes[:20] == [404] * 20
    assert codes[20:] == [429, 429]
    page = walker.get(f"/verify/{next(NUMBERS)}/").content.decode()
    assert "Too many attempts" in page


def test_the_page_and_the_api_share_one_budget() -> None:
    walker = Client(REMOTE_ADDR="198.51.100.66")
    for _n in range(10):
        assert walker.get(f"/verify/{next(NUMBERS)}/").status_code == 404
    codes = [walker.get(f"/api/v1/verify/{next(NUMBERS)}/").status_code for _n in range(11)]
    assert codes == [404] * 10 + [429]
    assert walker.get(f"/api/v1/verify/{next(NUMBERS)}/").json()["code"] == "throttled"


def test_another_address_still_verifies(settings: Any) -> None:
    walker = Client(REMOTE_ADDR="198.51.100.66")
    for _n in range(20):
        walker.get(f"/verify/{next(NUMBERS)}/")
    assert walker.get(f"/verify/{next(NUMBERS)}/").status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.10").get(f"/verify/{next(NUMBERS)}/").status_code == 404
