"""Outgoing email: rendered in the request (in the recipient's language), sent by Celery.

Every message has a plain-text and an HTML part. Messages are queued only after the
surrounding transaction commits, so a rolled-back change never emails anybody.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks, urlize

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def absolute_url(viewname: str, *args: Any) -> str:
    """A full link for emails, PDFs and calendar files (SITE_URL + the reversed path)."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)


def _html_from_text(text: str, subject: str) -> str:
    body = linebreaks(urlize(text, autoescape=True), autoescape=False)
    return render_to_string("email/wrapper.html", {"body": body, "subject": subject})


def _payload(message: EmailMessage) -> dict[str, Any]:
    html = None
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = str(content)
    if html is None:
        html = _html_from_text(str(message.body), str(message.subject))
    attachments = []
    for item in message.attachments:
        if isinstance(item, tuple) or hasattr(item, "content"):
            name, content, mimetype = item[0], item[1], item[2]
            raw = content.encode() if isinstance(content, str) else bytes(content)
            attachments.append([name, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "id": uuid.uuid4().hex,
        "subject": str(message.subject),
        "text": str(message.body),
        "html": html,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "attachments": attachments,
    }


def queue_message(message: EmailMessage) -> None:
    """Hand an already rendered message to the Celery mail queue after commit."""
    from erozgar.tasks import deliver_email

    payload = _payload(message)
    transaction.on_commit(lambda: deliver_email.delay(payload))


def queue_templated_email(
    *,
    template_prefix: str,
    to: Iterable[str],
    context: Mapping[str, Any],
    language: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> None:
    """Render ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and ``.html`` in ``language``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
        text = render_to_string(f"{template_prefix}_message.txt", ctx)
        html: str
        try:
            html = render_to_string(f"{template_prefix}_message.html", ctx)
        except TemplateDoesNotExist:
            html = _html_from_text(text, subject)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    queue_message(message)


def build_message(payload: Mapping[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload.get("headers") or {},
    )
    message.attach_alternative(payload["html"], "text/html")
    for name, content, mimetype in payload.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message
