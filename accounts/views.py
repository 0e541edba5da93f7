from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts import tokens


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language and remember it on the account (emails use it too)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """The person's API tokens (each revocable) and "log out everywhere"."""
    return render(request, "account/security.html", {"tokens": tokens.tokens_of(request.user)})  # type: ignore[arg-type]


@login_required
@require_POST
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    if not tokens.token_revoke(user=request.user, token_key=key[:25]):  # type: ignore[arg-type]
        raise Http404
    messages.success(request, _("The token is revoked: apps using it are signed out."))
    return redirect("account_security")


@login_required
@require_POST
def log_out_everywhere(request: HttpRequest) -> HttpResponse:
    tokens.log_out_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You are signed out everywhere, and every API token is revoked."))
    return redirect("account_login")


@never_cache
@login_required
@require_GET
def language_settings(request: HttpRequest) -> HttpResponse:
    """The account's language setting: pages, emails and reminders (saved by ``set_language``)."""
    return render(request, "account/language.html", {"languages": settings.LANGUAGES})
