"""allauth adapter: every account email leaves through the Celery mail queue."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from erozgar.mail import queue_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request") or self.request
        context.setdefault("request", request)
        message = self.render_mail(template_prefix, email, context)
        queue_message(message)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
