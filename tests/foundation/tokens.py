"""API tokens the way a client gets them: from the token endpoint, with the account's password."""

from __future__ import annotations

from typing import Any

from django.test import Client

PASSWORD = "Correct-Horse-Battery-42"  # UserFactory's and the make_user fixture's


def api_token(user: Any, password: str = PASSWORD) -> str:
    response = Client().post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def token_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
