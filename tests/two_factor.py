"""Second factors the way a person has them: a TOTP secret in an authenticator app, and its codes."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def give_totp(user: Any) -> str:
    """Set up TOTP for ``user`` as the activation page would; the secret the app would hold."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (allauth's own algorithm, RFC 6238)."""
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))


_last_period: dict[str, int] = {}


def fresh_totp_code(secret: str) -> str:
    """A code not given before: a code works once, so a second sign-in within the same 30 seconds
    waits for the app's next code, as a person would."""
    period = int(time.time()) // 30
    if _last_period.get(secret) == period:
        time.sleep(30.2 - time.time() % 30)
        period = int(time.time()) // 30
    _last_period[secret] = period
    return totp_code(secret)


def staff_totp(user: Any) -> str | None:
    """For a person who must sign in with a second factor: their app's secret (set up now if they
    have none yet). None for everyone else."""
    from accounts.models import User
    from accounts.two_factor import requires_two_factor, totp_of

    if isinstance(user, str):
        user = User.objects.get(email=user)
    if not requires_two_factor(user):
        return None
    existing = totp_of(user)
    return _secret_of(existing) if existing is not None else give_totp(user)


def _secret_of(authenticator: Any) -> str:
    from allauth.mfa.adapter import get_adapter

    return str(get_adapter().decrypt(authenticator.data["secret"]))


def enter_code(page: Any, secret: str | None) -> None:
    """After the password: type the app's current code when the portal asks for one."""
    if secret is None:
        return
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.locator("input[name=code]").fill(fresh_totp_code(secret))
    page.locator("form[action='/accounts/2fa/authenticate/'] button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
