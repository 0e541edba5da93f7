"""Errors reach a person: Sentry when SENTRY_DSN is set, otherwise mail to ADMINS.

Both paths scrub personal data first: CNICs, Pakistani mobile numbers and email
addresses in messages, exception values, request bodies, query strings, extra data and
breadcrumbs become ``[cnic]``, ``[mobile]`` and ``[email]``; cookies and credentials are
dropped. Sentry also runs with ``send_default_pii=False`` (no user, IP or cookies).

Error mail is sent straight through ERROR_EMAIL_BACKEND (the SMTP server of EMAIL_URL),
never through a queue or a table: it has to work when the database or the broker is
what failed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from celery import Task
from django.conf import settings
from django.core.mail import get_connection, mail_admins
from django.utils.log import AdminEmailHandler

logger = logging.getLogger(__name__)

# A CNIC with or without dashes; a mobile as 03XX-XXXXXXX, +92 3XX XXXXXXX or 923XXXXXXXXX.
CNIC = re.compile(r"(?<!\d)\d{5}-?\d{7}-?\d(?!\d)")
MOBILE = re.compile(r"(?<!\d)(?:\+?92|0092|0)[\s-]?3\d{2}[\s-]?\d{7}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SECRET_KEYS = re.compile(r"cookie|authorization|password|token|secret|session|csrf|api[_-]?key", re.I)
SCRUBBED = "[scrubbed]"


def scrub_text(text: str) -> str:
    text = CNIC.sub("[cnic]", text)
    text = MOBILE.sub("[mobile]", text)
    return EMAIL.sub("[email]", text)


def scrub(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` (strings, mappings, lists) with personal data and secrets scrubbed."""
    if depth > 20:
        return SCRUBBED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {
            key: SCRUBBED if isinstance(key, str) and SECRET_KEYS.search(key) else scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item, depth + 1) for item in value]
    return value


# Sentry's own bookkeeping: ids and versions that a digit pattern must not mangle.
UNSCRUBBED = frozenset({"event_id", "timestamp", "start_timestamp", "release", "sdk", "modules", "platform"})


def scrub_event(event: Any, hint: Any = None) -> Any:
    """Sentry's before_send: the whole event scrubbed, and no person attached to it."""
    event = {key: value if key in UNSCRUBBED else scrub(value) for key, value in event.items()}
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("env", None)
    return event


def init_sentry(dsn: str, *, environment: str, **options: Any) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="small",
        before_send=scrub_event,
        before_breadcrumb=lambda crumb, hint: scrub(crumb),
        traces_sample_rate=0,
        **options,
    )


def error_mail_connection() -> Any:
    return get_connection(backend=settings.ERROR_EMAIL_BACKEND, fail_silently=True)


class ScrubbingAdminEmailHandler(AdminEmailHandler):
    """Django's 500 mail to ADMINS, scrubbed, through the error mail connection."""

    def connection(self) -> Any:
        return error_mail_connection()

    def send_mail(self, subject: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        html = kwargs.pop("html_message", None)
        mail_admins(
            scrub_text(str(subject)),
            scrub_text(str(message)),
            *args,
            html_message=scrub_text(str(html)) if html else None,
            connection=self.connection(),
            **kwargs,
        )


class ReportingTask(Task):  # type: ignore[misc]
    """Every Celery task of the portal: a failure is logged, and mailed to ADMINS without Sentry.

    With SENTRY_DSN set, Sentry's Celery integration reports the failure itself.
    """

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        logger.error("task %s (%s) failed: %s", self.name, task_id, scrub_text(repr(exc)))
        if getattr(settings, "SENTRY_DSN", "") or not settings.ADMINS:
            return
        trace = einfo.traceback if einfo else repr(exc)
        body = scrub_text(f"Task: {self.name}\nId: {task_id}\nArguments: {args!r} {kwargs!r}\n\n{trace}")
        mail_admins(
            scrub_text(f"Task {self.name} failed: {exc!r}")[:200],
            body,
            connection=error_mail_connection(),
        )
