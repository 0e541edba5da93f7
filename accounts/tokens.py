"""API tokens (django-rest-knox: only a SHA-512 digest is stored, each token expires) and signing
out: one token, every token, or everything (tokens and browser sessions) at once.

Sessions end through the session hash (``User.get_session_auth_hash``): a password change
changes it, and so does ``log_out_everywhere`` (it bumps ``User.session_generation``), so every
session made before is refused on its next request, whatever server or cache holds it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions

from accounts.models import User


def token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token for ``user`` (the plain token is returned once and never stored).

    At most ``API_TOKENS_PER_USER`` live at once: the oldest goes when one more is made.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issuer at a time per person
        keep = settings.API_TOKENS_PER_USER - 1
        stale = list(
            AuthToken.objects.filter(user=user).order_by("-created").values_list("digest", flat=True)[keep:]
        )
        if stale:
            AuthToken.objects.filter(digest__in=stale).delete()
        return AuthToken.objects.create(user=user)


def tokens_of(user: User) -> QuerySet[AuthToken]:
    """``user``'s tokens that have not expired, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of ``user``'s own tokens by its public key (its first characters); False if none."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted > 0


def tokens_revoke_all(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def log_out_everywhere(*, user: User) -> None:
    """Revoke every API token of ``user`` and end every browser session (this one too)."""
    with transaction.atomic():
        tokens_revoke_all(user=user)
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


def password_changed(*, user: User) -> None:
    """A new password ends every API token (sessions end by the session hash)."""
    tokens_revoke_all(user=user)


def tokens_purge_expired(now: datetime | None = None) -> int:
    deleted, _ = AuthToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's check, without its sweep of the person's other expired tokens on every request
    (one more query per API call); ``tokens_purge_expired`` runs nightly instead."""

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        try:
            return super().authenticate_credentials(token)  # type: ignore[no-any-return]
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI description of the header: ``Authorization: Token <token>``."""

    target_class = "accounts.tokens.TokenAuthentication"
    name = "tokenAuth"
