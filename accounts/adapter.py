"""allauth adapter: account emails leave through the outbox (rendered here, sent by the worker);
password attempts are counted by the portal's login guard; the client address is read one way."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from accounts import login_guard, tokens
from accounts.language import remember_language
from accounts.models import User
from erozgar.ratelimit import client_address
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

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        self._attempt = login_guard.begin(request, str(credentials.get("email") or ""))
        if not self._attempt.allowed:
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None:
            self._attempt.succeeded()
        return user

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        login_guard.remember_device(request, response, user.email)
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # A new browser: speak the language stored on the account from the first page on.
            # (A language chosen in this browser before signing in is kept.)
            remember_language(response, user.language)
        return response

    def set_password(self, user: Any, password: str) -> None:
        """Password change and reset: every API token ends too (sessions end by the session hash)."""
        super().set_password(user, password)
        tokens.password_changed(user=user)
