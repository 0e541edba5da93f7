"""Every account page, read in Urdu, leaves no English behind (bar names and acronyms)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User

from .conftest import STRONG_PASSWORD
from .html import ParsedPage

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# The language switch names English in English; acronyms stay as they are written in Urdu too.
ALLOWED = {"English", "PSEB", "API", "QR"}

VISITOR_PAGES = [
    "/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-real-key/",
    "/accounts/password/reset/key/1-not-a-real-key/",
]
MEMBER_PAGES = ["/", "/accounts/email/", "/accounts/password/change/", "/accounts/logout/"]


def _english_words(html: str) -> set[str]:
    page = ParsedPage(html)
    text = " ".join(e.text for e in page.elements if e.tag in {"title", "body"})
    placeholders = " ".join(e.attrs.get("placeholder", "") for e in page.elements)
    return set(LATIN_WORD.findall(f"{text} {placeholders}")) - ALLOWED


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_pages_for_visitors_are_fully_in_urdu(urdu_client: Client, path: str) -> None:
    response = urdu_client.get(path, follow=True)

    assert response.status_code == 200
    assert _english_words(response.content.decode()) == set()


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_pages_for_signed_in_people_are_fully_in_urdu(
    urdu_client: Client, make_user: Callable[..., User], path: str
) -> None:
    urdu_client.force_login(make_user())

    response = urdu_client.get(path, follow=True)

    assert response.status_code == 200
    assert _english_words(response.content.decode()) == set()


def test_flash_messages_after_signing_up_in_and_out_are_in_urdu(
    urdu_client: Client, sign_up: Callable[..., Any], make_user: Callable[..., User], password: str
) -> None:
    assert sign_up(urdu_client, "nadia@example.pk", STRONG_PASSWORD).status_code == 302
    after_sign_up = ParsedPage(urdu_client.get("/accounts/confirm-email/").content.decode())
    assert after_sign_up.statuses() == ["نوٹ: تصدیقی ای میل nadia@example.pk پر بھیج دی گئی ہے۔"]

    user = make_user("imran@example.pk")
    signed_in = urdu_client.post("/accounts/login/", {"login": user.email, "password": password}, follow=True)
    assert ParsedPage(signed_in.content.decode()).statuses() == [
        "مکمل: آپ imran@example.pk کے طور پر کامیابی سے لاگ ان ہو گئے ہیں۔"
    ]

    signed_out = urdu_client.post("/accounts/logout/", follow=True)
    assert ParsedPage(signed_out.content.decode()).statuses() == ["مکمل: آپ لاگ آؤٹ ہو گئے ہیں۔"]
