"""allauth adapter: account emails leave through the outbox (rendered here, sent by the worker)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import get_language

from accounts.models import User
from outbox.services import email_queue_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request") or allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        email_queue_message(self.render_mail(template_prefix, email, ctx), language=get_language() or "")

    def save_user(self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True) -> User:
        """Remember the language the person signed up in: later emails use it."""
        user = super().save_user(request, user, form, commit=False)
        language = get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user
