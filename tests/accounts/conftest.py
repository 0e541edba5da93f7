"""Helpers for the account tests: a client that reads the portal in Urdu, and the sign-up form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

STRONG_PASSWORD = "Sturdy-Pass-Word-77"


@pytest.fixture
def urdu_client(client: Client) -> Client:
    """The same test client, with the language cookie the switcher sets."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


@pytest.fixture(params=["en", "ur"])
def any_language_client(request: pytest.FixtureRequest, client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    return client


@pytest.fixture
def sign_up() -> Callable[..., HttpResponse]:
    def _sign_up(
        client: Client, email: str, password1: str = STRONG_PASSWORD, password2: str | None = None
    ) -> HttpResponse:
        return client.post(
            "/accounts/signup/",
            {
                "email": email,
                "password1": password1,
                "password2": password1 if password2 is None else password2,
            },
        )

    return _sign_up
