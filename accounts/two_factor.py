"""Two-factor sign-in (allauth's MFA: TOTP and recovery codes): required for everyone who acts at a
desk, manages a centre, works in the Django admin or may see identity documents; optional for
freelancers.

allauth asks for the code at every sign-in of an account that has TOTP set up. This module
makes sure the people who must have it do: until they set it up, the pages of their work (the
desk, the admin, a centre's management and occupancy pages, documents) send them to set it up,
the desk API refuses their session, and the token endpoint gives them no token.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from erozgar.api import error_body
from erozgar.crypto import UndecryptableError, key_ring

# The paths of staff work. Anyone else reaching them is refused by the view itself.
PROTECTED_PREFIXES = (
    "/desk/",
    "/admin/",
    "/api/v1/desk/",
    "/centres/manage/",
    "/bookings/occupancy/",
    "/registration/documents/",
)
# This session belongs to a person with TOTP set up (so allauth asked for a code at sign-in,
# or they proved a code when setting it up): no query on their next requests.
SESSION_KEY = "accounts.two_factor_user"


def requires_two_factor(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor (staff, centre staff, document viewers)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.centre_memberships.exists():
        return True
    return bool(user.has_perm("freelancers.view_document"))


def totp_of(user: Any) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def recovery_codes_of(user: Any) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()


def setup_url(next_path: str) -> str:
    return reverse("mfa_activate_totp") + "?" + urlencode({"next": next_path})


class RequireTwoFactor:
    """Send people who must have a second factor, and have none, to set one up (JSON 403 on the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and path.startswith(PROTECTED_PREFIXES)
            and request.session.get(SESSION_KEY) != str(user.pk)
        ):
            if totp_of(user) is not None:
                request.session[SESSION_KEY] = str(user.pk)
            elif requires_two_factor(user):
                return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        message = _("Your work on the portal needs two-factor sign-in. Set up an authenticator app first.")
        if request.path_info.startswith("/api/"):
            return JsonResponse(error_body("two_factor_required", message), status=403)
        messages.warning(request, message)
        return redirect(setup_url(request.get_full_path()))


_SEALED = "sealed:"
_PURPOSE = b"allauth.mfa.secret"


class MFAAdapter(DefaultMFAAdapter):
    """The QR code drawn by segno (the portal's QR library); TOTP secrets sealed with the key ring."""

    def build_totp_svg(self, url: str) -> str:
        import segno

        return str(segno.make(url, error="m").svg_inline(scale=4, title=_("Authenticator app QR code")))

    def get_totp_issuer(self) -> str:
        return "e-Rozgar Portal"

    def encrypt(self, text: str) -> str:
        sealed = key_ring().seal(text.encode(), purpose=_PURPOSE)
        return _SEALED + base64.b64encode(sealed).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_SEALED):
            return encrypted_text  # stored before sealing
        try:
            return (
                key_ring().open(base64.b64decode(encrypted_text[len(_SEALED) :]), purpose=_PURPOSE).decode()
            )
        except (UndecryptableError, ValueError) as exc:
            raise UndecryptableError("a TOTP secret under a key no longer configured") from exc
