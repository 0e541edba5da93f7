"""The language switch: a cookie for everyone, and `user.language` (used for emails) for people signed in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_switching_to_urdu_remembers_it_on_the_account_and_in_a_cookie(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(language="en")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "ur", "next": "/accounts/email/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ur"
    user.refresh_from_db()
    assert user.language == "ur"
    assert '<html lang="ur" dir="rtl">' in client.get("/accounts/email/").content.decode()


def test_switching_back_to_english_is_remembered_too(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user(language="ur")
    client.force_login(user)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_a_visitor_who_is_not_signed_in_gets_the_cookie_only(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "ur", "next": "/accounts/signup/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ur"
    assert '<html lang="ur" dir="rtl">' in client.get("/accounts/signup/").content.decode()


@pytest.mark.parametrize("language", ["fr", "", "ur<script>"])
def test_an_unknown_language_changes_nothing(
    client: Client, make_user: Callable[..., User], language: str
) -> None:
    user = make_user(language="en")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    # Django may still store a cookie for a language it knows (fr), but the portal ignores it.
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_the_switch_refuses_get_requests(client: Client) -> None:
    assert client.get("/i18n/setlang/?language=ur").status_code == 405


def test_a_next_address_on_another_site_is_ignored(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "ur", "next": "https://evil.example.com/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
