"""Turning an outbox row into an email: the kinds of email, and rendering in the person's language.

Apps register what they send with ``@email_kind("bookings.confirmation")`` in their
``notifications`` module (found at start-up by ``OutboxConfig.ready``). A renderer takes
the row's object id and parameters and answers which templates to render with which
context and attachments; the worker renders it in the row's language at send time, so the
request that made the booking only inserts a row.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize

from .models import RENDERED, OutgoingEmail

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


@dataclass(frozen=True)
class TemplatedEmail:
    """``<prefix>_subject.txt``, ``<prefix>_message.txt`` and (if it exists) ``<prefix>_message.html``."""

    template_prefix: str
    context: Mapping[str, Any]
    attachments: Sequence[Attachment] = field(default_factory=tuple)


Renderer = Callable[[int | None, Mapping[str, Any]], TemplatedEmail]
_RENDERERS: dict[str, Renderer] = {}


class Undeliverable(Exception):
    """The email can never be sent (its booking or registration is gone): no retries."""


def email_kind(kind: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of one kind of email (a stable name: rows in the outbox refer to it)."""

    def register(renderer: Renderer) -> Renderer:
        if kind == RENDERED or _RENDERERS.get(kind, renderer) is not renderer:
            raise ValueError(f"email kind {kind!r} is already registered")
        _RENDERERS[kind] = renderer
        return renderer

    return register


def is_known_kind(kind: str) -> bool:
    return kind == RENDERED or kind in _RENDERERS


def message_id(email: OutgoingEmail) -> str:
    """The same Message-ID on every attempt for one row, so a receiver can drop a resend."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "erozgar.invalid"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def _html_from_text(text: str, subject: str) -> str:
    body = linebreaks(urlize(text, autoescape=True), autoescape=False)
    return render_to_string("email/wrapper.html", {"body": body, "subject": subject})


def render_templated(templated: TemplatedEmail, *, to: str, language: str) -> EmailMultiAlternatives:
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_url": settings.SITE_URL, **templated.context}
        subject = " ".join(render_to_string(f"{templated.template_prefix}_subject.txt", ctx).split())
        text = render_to_string(f"{templated.template_prefix}_message.txt", ctx)
        html: str
        try:
            html = render_to_string(f"{templated.template_prefix}_message.html", ctx)
        except TemplateDoesNotExist:
            html = _html_from_text(text, subject)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in templated.attachments:
        message.attach(name, content, mimetype)
    return message


def payload_from_message(message: EmailMessage) -> dict[str, Any]:
    """A message rendered elsewhere (allauth), as JSON for the row's ``params``."""
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
        "subject": str(message.subject),
        "text": str(message.body),
        "html": html,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "headers": dict(message.extra_headers),
        "attachments": attachments,
    }


def _message_from_payload(payload: Mapping[str, Any], to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=payload["from_email"],
        to=[to],
        headers=payload.get("headers") or {},
    )
    message.attach_alternative(payload["html"], "text/html")
    for name, content, mimetype in payload.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def render_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for one row, rendered now (raises Undeliverable when it can never be sent)."""
    if email.kind == RENDERED:
        if not email.params.get("subject"):
            raise Undeliverable("The rendered message is no longer stored.")
        message = _message_from_payload(email.params, email.recipient)
    else:
        renderer = _RENDERERS.get(email.kind)
        if renderer is None:
            raise Undeliverable(f"No renderer for the email kind {email.kind!r}.")
        message = render_templated(
            renderer(email.object_id, email.params), to=email.recipient, language=email.language
        )
    message.extra_headers["Message-ID"] = message_id(email)
    return message
