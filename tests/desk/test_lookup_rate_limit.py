"""The desk's look-up by CNIC or mobile is limited per staff member: nobody lists the registry from a desk."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many look-ups in a short while. Wait a few minutes, or scan the booking's QR code."


def _cnic(n: int) -> str:
    return f"35202-{n:07d}-1"


def test_a_clerk_walking_cnics_is_stopped_after_twenty_a_minute(
    centre: Any, clerk: Any, manager: Any
) -> None:
    client = Client()
    client.force_login(clerk)
    codes = [client.get(f"/desk/{centre.slug}/find/", {"q": _cnic(n)}).status_code for n in range(22)]
    assert codes[:20] == [200] * 20
    assert codes[20:] == [429, 429]
    response = client.get(f"/desk/{centre.slug}/find/", {"q": "35202-1234567-1"})
    assert response.status_code == 429
    assert TOO_MANY in unescape(response.content.decode())
    assert "Bookings here today" not in unescape(response.content.decode())

    # The walk-in page's look-up is the same look-up.
    walk_in = client.get(f"/desk/{centre.slug}/walk-in/", {"person": "35202-1234567-1"})
    assert walk_in.status_code == 429 and TOO_MANY in unescape(walk_in.content.decode())

    # Another staff member of the centre works on.
    other = Client()
    other.force_login(manager)
    assert other.get(f"/desk/{centre.slug}/find/", {"q": "35202-1234567-1"}).status_code == 200
