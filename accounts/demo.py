"""Demo people. Passwords are for a local demo only and printed by `seed_demo`."""

from __future__ import annotations

from typing import TextIO

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_PASSWORD = "erozgar-demo-2026"
# The demo staff and admin sign in with a second factor too. This secret is public (demo only):
# add it to any authenticator app, or run `manage.py demo_totp_code` for the current code.
DEMO_TOTP_SECRET = "EROZGARDEMOSTAFFTOTPSECRET234567"
DEMO_TWO_FACTOR = {"admin@erozgar.pk", "staff.islamabad@erozgar.pk"}

PEOPLE = [
    # role, email, full name, is_staff, is_superuser, language
    ("PSEB admin", "admin@erozgar.pk", "Ayesha Siddiqui", True, True, "en"),
    ("Centre staff (Islamabad)", "staff.islamabad@erozgar.pk", "Bilal Ahmed", False, False, "en"),
    ("Freelancer", "sana.freelancer@example.pk", "Sana Khan", False, False, "ur"),
    ("Freelancer", "usman.freelancer@example.pk", "Muhammad Usman", False, False, "en"),
]


def ensure_user(
    email: str, *, full_name: str, is_staff: bool = False, is_superuser: bool = False, language: str = "en"
) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            "language": language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def ensure_demo_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    for _role, email, name, is_staff, is_superuser, language in PEOPLE:
        user = ensure_user(
            email, full_name=name, is_staff=is_staff, is_superuser=is_superuser, language=language
        )
        if email in DEMO_TWO_FACTOR:
            ensure_demo_totp(user)
    stdout.write(
        "Staff and admin demo logins ask for a two-factor code: add the secret "
        f"{DEMO_TOTP_SECRET} to an authenticator app, or run `.venv/bin/python manage.py demo_totp_code`."
    )
    return [(role, email, DEMO_PASSWORD) for role, email, *_ in PEOPLE]
