"""Password guessing stays expensive, and nobody can lock a person out of their own account.

One policy for every place a password is checked (the login form, which the Django admin uses
too, and the API's token endpoint). A failed password counts against buckets that depend on
*who* is trying:

* From a **known device** of the account (a browser or client that signed in to it before and
  holds its signed ``erozgar_device`` cookie): only that device's own bucket
  (``login_failed_device``). What strangers do elsewhere never touches it, so the owner
  always gets in from a phone or computer they have used before.
* From **anywhere else**: the account and address pair (``login_failed_pair``: a stranger locks
  out only themselves), the account from all addresses together (``login_failed_account``:
  guessing from many addresses stays slow), and the address across all accounts
  (``login_failed_address``: one address spraying many accounts).

When any bucket of the attempt is spent the password is not even checked. A correct password
gives back what its attempt took (so periodic successful logins cannot hide a guessing run).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from erozgar.ratelimit import Usage, client_address, consume

DEVICE_COOKIE = "erozgar_device"
_DEVICE_SALT = "accounts.login_guard.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _account_key(email: str) -> str:
    return email.strip().lower()


def _email_tag(email: str) -> str:
    """The account a device cookie is for, without the email itself in the cookie."""
    return salted_hmac(_DEVICE_SALT, _account_key(email)).hexdigest()[:24]


def known_device(request: HttpRequest, email: str) -> str | None:
    """The id of this request's known device for ``email``, or None."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _email_tag(email):
        return None
    device = data.get("d")
    return device if isinstance(device, str) and device else None


def remember_device(request: HttpRequest, response: HttpResponseBase, email: str) -> None:
    """Mark this client as a known device of the account it just signed in to."""
    device = known_device(request, email) or secrets.token_hex(8)
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"a": _email_tag(email), "d": device}, salt=_DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@dataclass
class Attempt:
    """One password check: what it took from the buckets (given back if the password is right)."""

    allowed: bool
    taken: list[Usage] = field(default_factory=list)

    def succeeded(self) -> None:
        for usage in self.taken:
            usage.rollback()


def buckets(request: HttpRequest, email: str) -> list[tuple[str, str | None]]:
    """The (action, key) pairs a password attempt for ``email`` from this request counts against."""
    account = _account_key(email)
    device = known_device(request, email)
    if device is not None:
        return [("login_failed_device", f"{account}|{device}")]
    return [
        ("login_failed_pair", f"{account}|{client_address(request)}"),
        ("login_failed_account", account),
        ("login_failed_address", None),
    ]


def begin(request: HttpRequest, email: str) -> Attempt:
    """Count an attempt before the password is checked; ``allowed`` is False when a bucket is spent.

    A refused attempt counts nowhere: it cannot keep a bucket full on its own.
    """
    taken: list[Usage] = []
    for action, key in buckets(request, email):
        usage = consume(request, action, key=key)
        if usage is None:
            for earlier in taken:
                earlier.rollback()
            return Attempt(allowed=False)
        taken.append(usage)
    return Attempt(allowed=True, taken=taken)
