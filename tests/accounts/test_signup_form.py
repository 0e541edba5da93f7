"""The sign-up form rejects bad input with a clear message, in English and in Urdu, tied to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User

from .conftest import STRONG_PASSWORD
from .html import ParsedPage

pytestmark = pytest.mark.django_db

# case -> (email, password1, password2, field, {language: expected messages})
BAD_SIGN_UPS: dict[str, tuple[str, str, str, str, dict[str, list[str]]]] = {
    "invalid email": (
        "amina.example.pk",
        STRONG_PASSWORD,
        STRONG_PASSWORD,
        "email",
        {
            "en": ["Enter a valid email address."],
            "ur": ["درست ای میل ایڈریس درج کریں، مثلاً name@example.com"],
        },
    ),
    "short password": (
        "amina@example.pk",
        "Lhr-7a",
        "Lhr-7a",
        "password1",
        {
            "en": ["This password is too short. It must contain at least 8 characters."],
            "ur": ["یہ پاس ورڈ بہت چھوٹا ہے۔ اس میں کم از کم 8 حروف ہونے ضروری ہیں۔"],
        },
    ),
    "common numeric password": (
        "amina@example.pk",
        "12345678",
        "12345678",
        "password1",
        {
            "en": ["This password is too common.", "This password is entirely numeric."],
            "ur": ["یہ پاس ورڈ بہت عام ہے۔", "یہ پاس ورڈ صرف ہندسوں پر مشتمل ہے۔"],
        },
    ),
    "password like the email": (
        "zainab.qureshi@example.pk",
        "zainab.qureshi",
        "zainab.qureshi",
        "password1",
        {
            "en": ["The password is too similar to the email address."],
            "ur": ["یہ پاس ورڈ آپ کے ای میل ایڈریس سے بہت ملتا جلتا ہے۔"],
        },
    ),
    "mismatched passwords": (
        "amina@example.pk",
        STRONG_PASSWORD,
        STRONG_PASSWORD + "!",
        "password2",
        {
            "en": ["You must type the same password each time."],
            "ur": ["دونوں خانوں میں ایک جیسا پاس ورڈ درج کریں۔"],
        },
    ),
    "empty email": (
        "",
        STRONG_PASSWORD,
        STRONG_PASSWORD,
        "email",
        {"en": ["This field is required."], "ur": ["یہ خانہ پُر کرنا ضروری ہے۔"]},
    ),
}


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("case", list(BAD_SIGN_UPS))
def test_sign_up_rejects_bad_input_with_a_message_in_the_page_language_tied_to_the_field(
    client: Client, sign_up: Callable[..., Any], case: str, language: str
) -> None:
    email, password1, password2, field, expected = BAD_SIGN_UPS[case]
    client.cookies["erozgar_language"] = language

    response = sign_up(client, email, password1, password2)

    assert response.status_code == 200
    page = ParsedPage(response.content.decode())
    assert page.errors_of(field) == expected[language]
    widget = page.field(field)
    assert f"id_{field}_error" in widget.attrs["aria-describedby"].split()
    assert not User.objects.exists()


ALREADY_EXISTS = {"en": "[e-Rozgar] Account Already Exists", "ur": "[e-Rozgar] اکاؤنٹ پہلے سے موجود ہے"}


@pytest.mark.parametrize("language", ["en", "ur"])
def test_sign_up_with_an_email_in_use_answers_like_a_new_one_and_mails_the_owner(
    client: Client, sign_up: Callable[..., Any], make_user: Callable[..., User], language: str
) -> None:
    """No account enumeration: a stranger cannot tell; the owner is told by email."""
    from outbox.models import OutgoingEmail

    owner = make_user("bilal.ahmed@example.pk")
    client.cookies["erozgar_language"] = language

    new = sign_up(Client(), "someone.new@example.pk")
    taken = [sign_up(client, attempt) for attempt in ("bilal.ahmed@example.pk", "Bilal.Ahmed@Example.PK")]

    assert [r.status_code for r in taken] == [new.status_code] * 2 == [302, 302]
    assert {r["Location"] for r in taken} == {new["Location"]}
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    to_owner = OutgoingEmail.objects.filter(recipient=owner.email)
    # One mail: the second is held back by the same limit as a repeated verification mail.
    assert [row.subject for row in to_owner] == [ALREADY_EXISTS[language]]
    owner.refresh_from_db()
    assert owner.check_password("Correct-Horse-Battery-42")


def test_sign_up_page_reads_right_to_left_in_urdu(urdu_client: Client) -> None:
    response = urdu_client.get("/accounts/signup/")

    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    page = ParsedPage(html)
    assert page.label_for(page.field("email")) == "ای میل:"
    assert page.label_for(page.field("password1")) == "پاس ورڈ:"
    assert page.label_for(page.field("password2")) == "پاس ورڈ (دوبارہ):"
    assert "سائن اپ" in page.by_id("main").text


def test_password_rules_are_announced_as_help_text_before_anything_goes_wrong(client: Client) -> None:
    page = ParsedPage(client.get("/accounts/signup/").content.decode())

    password = page.field("password1")
    assert password.attrs["aria-describedby"] == "id_password1_helptext"
    assert "aria-invalid" not in password.attrs
    assert "Your password must contain at least 8 characters." in page.items_of(
        page.by_id("id_password1_helptext")
    )


def test_a_good_sign_up_creates_the_account_and_asks_to_verify_the_email(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    response = sign_up(client, "Sana.Khan@Example.pk")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "sana.khan@example.pk"
    assert user.emailaddress_set.get().verified is False
