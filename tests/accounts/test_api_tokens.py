"""API tokens (django-rest-knox): hashed, expiring, listed and revoked by their owner (page and API),
and ended by a password change and by "log out everywhere" (which ends browser sessions too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Karachi-Cowork-2027"


def get_token(user: User, password: str) -> str:
    response = Client().post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def api(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def works(token: str) -> bool:
    status = api(token).get("/api/v1/bookings/").status_code
    assert status in {200, 401}
    return status == 200


def test_a_token_is_stored_only_as_a_digest_and_expires(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    token = get_token(user, password)
    stored = AuthToken.objects.get(user=user)
    assert token not in stored.digest and len(stored.digest) == 128
    assert timedelta(days=29) < stored.expiry - timezone.now() <= timedelta(days=30)
    assert works(token)
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        assert not works(token)
    assert "authtoken_token" not in connection.introspection.table_names()  # DRF's plain tokens are gone


def test_the_owner_lists_and_revokes_their_tokens_through_the_api(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    phone, laptop = get_token(user, password), get_token(user, password)

    listed = api(phone).get("/api/v1/auth/tokens/").json()
    assert {row["id"] for row in listed} == {phone[:15], laptop[:15]}
    assert [row["current"] for row in listed if row["id"] == phone[:15]] == [True]
    assert all("token" not in row for row in listed)

    assert api(phone).delete(f"/api/v1/auth/tokens/{laptop[:15]}/").status_code == 204
    assert not works(laptop) and works(phone)
    assert api(phone).post("/api/v1/auth/logout/").status_code == 204
    assert not works(phone)


def test_nobody_revokes_someone_elses_token(make_user: Callable[..., User], password: str) -> None:
    mine, theirs = get_token(make_user(), password), get_token(make_user(), password)
    assert api(mine).delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert works(theirs)
    assert theirs[:15] not in {row["id"] for row in api(mine).get("/api/v1/auth/tokens/").json()}
    assert Client().get("/api/v1/auth/tokens/").status_code == 401


def test_changing_the_password_revokes_every_token(
    client: Client, make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    token = get_token(user, password)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(token)
    assert not AuthToken.objects.filter(user=user).exists()


def test_an_admin_setting_a_password_revokes_that_persons_tokens(
    client: Client, make_user: Callable[..., User], pseb_admin: User, password: str
) -> None:
    user = make_user()
    token = get_token(user, password)
    client.force_login(pseb_admin)
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(token)


def test_log_out_everywhere_through_the_api_ends_tokens_and_browser_sessions(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    browser = Client()
    assert browser.post("/accounts/login/", {"login": user.email, "password": password}).status_code == 302
    assert browser.get("/accounts/security/").status_code == 200
    phone, laptop = get_token(user, password), get_token(user, password)

    assert api(phone).post("/api/v1/auth/logout-everywhere/").status_code == 204

    assert not works(phone) and not works(laptop)
    assert browser.get("/accounts/security/").status_code == 302  # sent to log in again
    # Signing in again works, and the new session is not ended by the earlier action.
    again = Client()
    assert again.post("/accounts/login/", {"login": user.email, "password": password}).status_code == 302
    assert again.get("/accounts/security/").status_code == 200


def test_the_account_page_lists_tokens_revokes_one_and_logs_out_everywhere(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    phone, laptop = get_token(user, password), get_token(user, password)
    other_browser, here = Client(), Client()
    other_browser.force_login(user)
    here.force_login(user)

    page = here.get("/accounts/security/").content.decode()
    assert phone[:8] in page and laptop[:8] in page and phone not in page

    assert here.post(f"/accounts/security/tokens/{laptop[:15]}/revoke/").status_code == 302
    assert not works(laptop) and works(phone)

    done = here.post("/accounts/security/log-out-everywhere/", follow=True)
    assert "You are signed out everywhere" in done.content.decode()
    assert not works(phone)
    assert other_browser.get("/accounts/security/").status_code == 302
    assert here.get("/accounts/security/").status_code == 302


def test_the_account_page_refuses_another_persons_token_and_strangers(
    make_user: Callable[..., User], password: str
) -> None:
    theirs = get_token(make_user(), password)
    me = Client()
    me.force_login(make_user())
    assert me.post(f"/accounts/security/tokens/{theirs[:15]}/revoke/").status_code == 404
    assert works(theirs)
    assert Client().get("/accounts/security/").status_code == 302
    assert Client().post("/accounts/security/log-out-everywhere/").status_code == 302


def test_a_person_keeps_at_most_ten_tokens(make_user: Callable[..., User], password: str) -> None:
    user = make_user()
    from accounts.tokens import token_issue

    first = get_token(user, password)
    for _n in range(10):
        token_issue(user=user)
    assert AuthToken.objects.filter(user=user).count() == 10
    assert not works(first)
