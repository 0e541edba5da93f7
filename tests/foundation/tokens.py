"""API tokens the way a client gets them: from the token endpoint, with the account's password."""

from __future__ import annotations

from typing import Any

from django.test import Client

PASSWORD = "Correct-Horse-Battery-42"  # UserFactory's and the make_user fixture's


def api_token(user: Any, password: str = PASSWORD) -> str:
    """Staff give the code of their authenticator app too (set up here if they have none)."""
    from accounts.two_factor import requires_two_factor, totp_of
    from tests.two_factor import give_totp, totp_code

    body = {"email": user.email, "password": password}
    if requires_two_factor(user):
        assert totp_of(user) is None, "api_token sets up the second factor itself"
        body["code"] = totp_code(give_totp(user))
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def token_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
