"""Password reset: a mail with a working one-time link, every step answering in the person's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

from .html import ParsedPage

NEW_PASSWORD = "Karachi-Cowork-2027"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^/\s]+/)")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_password_reset_sends_a_mail_whose_link_sets_a_new_password_once(
    client: Client,
    make_user: Callable[..., User],
    password: str,
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
) -> None:
    user = make_user("forgetful@example.pk")

    requested = client.post("/accounts/password/reset/", {"email": "Forgetful@Example.pk"})
    assert requested.status_code == 302
    assert requested["Location"] == "/accounts/password/reset/done/"

    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert message.to == ["forgetful@example.pk"]
    assert message.subject == "[e-Rozgar] Password Reset Email"
    assert any(mimetype == "text/html" for _content, mimetype in message.alternatives)
    link = RESET_LINK.search(message.body)
    assert link, message.body

    # allauth moves the key out of the URL into the session before showing the form.
    opened = client.get(link.group(1))
    assert opened.status_code == 302
    form_url = opened["Location"]
    form = ParsedPage(client.get(form_url).content.decode())
    assert form.label_for(form.field("password1")) == "New Password:"

    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(password)

    reused = Client().get(link.group(1), follow=True)
    assert "Bad Token" in reused.content.decode()

    fresh = Client()
    signed_in = fresh.post("/accounts/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert int(fresh.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ur"])
def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(
    client: Client, make_user: Callable[..., User], language: str
) -> None:
    """No account enumeration: the page and the next page are identical; only the inbox differs."""
    from outbox.models import OutgoingEmail

    make_user("known@example.pk")
    client.cookies["erozgar_language"] = language

    answers = [client.post("/accounts/password/reset/", {"email": email}) for email in KNOWN_AND_UNKNOWN]

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"] == "/accounts/password/reset/done/"
    mails = {row.recipient: row.subject for row in OutgoingEmail.objects.all()}
    assert mails == {
        "known@example.pk": RESET_SUBJECT[language],
        "nobody@example.pk": UNKNOWN_SUBJECT[language],
    }


KNOWN_AND_UNKNOWN = ("known@example.pk", "nobody@example.pk")
RESET_SUBJECT = {"en": "[e-Rozgar] Password Reset Email", "ur": "[e-Rozgar] پاس ورڈ ری سیٹ کی ای میل"}
UNKNOWN_SUBJECT = {"en": "[e-Rozgar] Unknown Account", "ur": "[e-Rozgar] نامعلوم اکاؤنٹ"}


def _change_password(client: Client, current: str, new: str) -> ParsedPage:
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": current, "password1": new, "password2": new},
        follow=True,
    )
    assert response.status_code == 200
    return ParsedPage(response.content.decode())


@pytest.mark.django_db
def test_password_change_rejects_a_wrong_current_password_and_a_weak_new_one_in_urdu(
    urdu_client: Client, make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    urdu_client.force_login(user)

    page = _change_password(urdu_client, "not-my-password", "12345678")

    assert page.errors_of("oldpassword") == ["براہِ کرم اپنا موجودہ پاس ورڈ درج کریں۔"]
    assert page.errors_of("password1") == ["یہ پاس ورڈ بہت عام ہے۔", "یہ پاس ورڈ صرف ہندسوں پر مشتمل ہے۔"]
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.django_db
def test_password_change_with_the_right_current_password_confirms_in_urdu(
    urdu_client: Client, make_user: Callable[..., User], password: str
) -> None:
    user = make_user()
    urdu_client.force_login(user)

    page = _change_password(urdu_client, password, NEW_PASSWORD)

    assert page.statuses() == ["مکمل: پاس ورڈ کامیابی سے تبدیل ہو گیا۔"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
