"""Brute force: allauth's failed-login limit (on the real Redis cache) guards the site and the admin."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User

from .html import ParsedPage

pytestmark = pytest.mark.django_db

WRONG = "The email address and/or password you specified are not correct."
TOO_MANY = {
    "en": "Too many failed login attempts. Try again later.",
    "ur": "لاگ ان کی بہت زیادہ ناکام کوششیں ہو چکی ہیں۔ کچھ دیر بعد دوبارہ کوشش کریں۔",
}


def _log_in(client: Client, email: str, password: str) -> ParsedPage:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code in {200, 302}
    return ParsedPage(response.content.decode())


def test_rate_limits_live_in_the_shared_redis_cache() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(
        caches["default"], RedisCache
    )  # Redis, shared by every web process (erozgar.cache's subclass)
    assert settings.EROZGAR_RATE_LIMITS["login_failed_pair"] == "5/5m/key"


@pytest.mark.parametrize("language", ["en", "ur"])
def test_after_five_failed_logins_the_right_password_is_refused_too(
    client: Client, make_user: Callable[..., User], password: str, language: str
) -> None:
    user = make_user("target@example.pk")
    client.cookies["erozgar_language"] = language

    for attempt in range(5):
        page = _log_in(client, user.email, f"guess-{attempt}")
        assert len(page.alerts()) == 1
    page = _log_in(client, user.email, password)

    assert page.alerts() == [TOO_MANY[language]]
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_per_email_even_across_browsers(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user("shared@example.pk")
    for attempt in range(5):
        _log_in(Client(), user.email.upper(), f"guess-{attempt}")

    assert _log_in(Client(), user.email, password).alerts() == [TOO_MANY["en"]]


def test_failures_on_one_account_do_not_lock_out_another(
    client: Client, make_user: Callable[..., User], password: str
) -> None:
    attacked, bystander = make_user("attacked@example.pk"), make_user("bystander@example.pk")
    for attempt in range(5):
        assert _log_in(client, attacked.email, f"guess-{attempt}").alerts() == [WRONG]

    response = client.post("/accounts/login/", {"login": bystander.email, "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == bystander.pk


def test_the_admin_login_sends_people_to_the_rate_limited_allauth_login(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/accounts/login/"
    assert parse_qs(target.query)["next"][0].startswith("/admin/login/")


def test_posting_credentials_to_the_admin_login_does_not_sign_anyone_in(
    client: Client, pseb_admin: User, password: str
) -> None:
    response = client.post("/admin/login/", {"username": pseb_admin.email, "password": password})

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_locked_out_admin_cannot_reach_the_admin_either(
    client: Client, pseb_admin: User, password: str
) -> None:
    for attempt in range(5):
        _log_in(client, pseb_admin.email, f"guess-{attempt}")

    response = client.post(
        "/accounts/login/", {"login": pseb_admin.email, "password": password, "next": "/admin/"}
    )

    assert ParsedPage(response.content.decode()).alerts() == [TOO_MANY["en"]]
    assert client.get("/admin/").status_code == 302


def test_staff_signed_in_through_allauth_reach_the_admin(
    client: Client, pseb_admin: User, password: str
) -> None:
    from tests.two_factor import give_totp, totp_code

    secret = give_totp(pseb_admin)
    response = client.post(
        "/accounts/login/", {"login": pseb_admin.email, "password": password, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post(response["Location"], {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
