"""Sign-up sends a verification email (text and HTML) through the real worker; login waits for it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

from .conftest import STRONG_PASSWORD
from .html import ParsedPage

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


def _html_part(message: Any) -> str:
    parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1
    return str(parts[0])


def test_verification_email_has_a_plain_text_and_an_html_part_with_the_link(
    client: Client,
    sign_up: Callable[..., Any],
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
) -> None:
    sign_up(client, "amina.verify@example.pk")

    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert message.to == ["amina.verify@example.pk"]
    assert message.subject == "[e-Rozgar] Please Confirm Your Email Address"
    assert message.body.startswith("Hello from e-Rozgar Portal!\n")
    assert "register an account on testserver." in message.body
    assert message.body.rstrip().endswith("Thank you for using e-Rozgar Portal!\ntestserver")
    link = CONFIRM_LINK.search(message.body)
    assert link, message.body
    html = _html_part(message)
    assert "<html" in html
    assert f'href="{link.group(0)}"' in html


def test_verification_email_is_written_in_urdu_for_a_sign_up_made_in_urdu(
    urdu_client: Client,
    sign_up: Callable[..., Any],
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
) -> None:
    sign_up(urdu_client, "sana.urdu@example.pk")

    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    assert message.subject == "[e-Rozgar] براہِ کرم اپنے ای میل ایڈریس کی تصدیق کریں"
    assert message.body.startswith("ای روزگار پورٹل کی جانب سے سلام!\n")
    assert "تصدیق کے لیے یہ لنک کھولیں:" in message.body
    assert CONFIRM_LINK.search(message.body)
    assert "تصدیق کے لیے یہ لنک کھولیں:" in _html_part(message)


def test_login_is_refused_until_the_email_is_verified_then_allowed(
    client: Client,
    sign_up: Callable[..., Any],
    celery_worker_thread: Any,
    wait_for: Any,
    mailoutbox: list[Any],
) -> None:
    email = "bilal.pending@example.pk"
    sign_up(client, email)
    message = wait_for(lambda: mail.outbox[-1] if mail.outbox else None)
    client.logout()

    refused = client.post("/accounts/login/", {"login": email, "password": STRONG_PASSWORD})
    assert refused.status_code == 302
    assert refused["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    waiting = client.get(refused["Location"])
    assert "Verify Your Email Address" in ParsedPage(waiting.content.decode()).by_id("main").text

    link = CONFIRM_LINK.search(message.body)
    assert link
    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    assert "Confirm Email Address" in confirm_page.content.decode()
    client.post(link.group(1))
    assert User.objects.get(email=email).emailaddress_set.get().verified is True

    allowed = client.post("/accounts/login/", {"login": email, "password": STRONG_PASSWORD})
    assert allowed.status_code == 302
    assert urlsplit(allowed["Location"]).path == "/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk
