"""Writes to accounts that other apps need: today only the anonymising of an erased person."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from .models import User

# Per-person rows that other installed apps keep about a login (sign-in addresses, API
# tokens, second factors, sessions): removed with the person, whichever of them is installed.
_LOGIN_ROWS = (
    ("account", "EmailAddress", "user"),
    ("authtoken", "Token", "user"),
    ("knox", "AuthToken", "user"),
    ("mfa", "Authenticator", "user"),
    ("usersessions", "UserSession", "user"),
    ("socialaccount", "SocialAccount", "user"),
)


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@erased.invalid"


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """The account stays (bookings and payments point at it) but says nothing about the person.

    The password becomes unusable, which also ends every session (Django checks a hash of
    it on each request), and the account can never sign in again.
    """
    for app_label, model_name, field in _LOGIN_ROWS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        model._default_manager.filter(**{field: user}).delete()
    user.email = erased_email(user.pk)
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "is_staff", "is_superuser", "password"])
    user.groups.clear()
    user.user_permissions.clear()
