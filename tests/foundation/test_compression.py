"""Responses go out gzip-compressed to a browser that asks, except those carrying a secret (BREACH)."""

from __future__ import annotations

import gzip
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from rest_framework.test import APIClient

from centres.hours import local_today
from tests.bookings.factories import CabinFactory
from tests.centres.factories import CentreFactory, weekdays_open
from tests.freelancers.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_centre(db: Any) -> Any:
    centre = CentreFactory(slug="three-hundred")
    weekdays_open(centre)
    CabinFactory._meta.model.objects.bulk_create(
        [CabinFactory.build(centre=centre, label=f"C-{i:03d}") for i in range(300)]
    )
    return centre


def test_the_grid_of_a_300_space_centre_is_compressed_on_the_wire(client: Client, big_centre: Any) -> None:
    client.force_login(RegistrationFactory(submitted=True).user)
    url = f"/centres/{big_centre.slug}/book/?date={(local_today() + timedelta(days=1)).isoformat()}"

    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "C-000" in html and html.count("<tr") == plain.content.decode().count("<tr")
    print(f"grid page: {len(plain.content)} bytes plain, {len(packed.content)} bytes gzip")
    assert len(packed.content) < len(plain.content) / 4
    assert len(packed.content) < 60_000


def test_json_is_compressed_too(client: Client, big_centre: Any) -> None:
    response = client.get(f"/api/v1/centres/{big_centre.pk}/availability/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_an_api_token_is_never_compressed(password: str) -> None:
    """BREACH: a secret in a compressed body can be guessed byte by byte from response sizes."""
    person = RegistrationFactory(submitted=True).user
    person.set_password(password)
    person.save()
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"email": person.email, "password": password},
        format="json",
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert len(response.json()["token"]) >= 40


def test_two_factor_pages_are_never_compressed(client: Client) -> None:
    """The TOTP set-up page shows the secret (and its QR code): no compression, whatever the client asks."""
    person = RegistrationFactory(submitted=True).user
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    client.force_login(person)
    index = client.get("/accounts/2fa/", HTTP_ACCEPT_ENCODING="gzip")
    activate = client.get("/accounts/2fa/totp/activate/", HTTP_ACCEPT_ENCODING="gzip")
    assert index.status_code == 200 and len(index.content) > 200
    assert "Content-Encoding" not in index and "Content-Encoding" not in activate
    assert client.get("/accounts/email/", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
