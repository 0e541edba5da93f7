"""/favicon.ico, which browsers and the admin ask for whatever the page links, is served (it was a 404)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_the_portals_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == (settings.BASE_DIR / "static" / "img" / "favicon.svg").read_bytes()
    assert "max-age=604800" in response["Cache-Control"]


def test_favicon_ico_answers_only_reads(client: Client) -> None:
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405
