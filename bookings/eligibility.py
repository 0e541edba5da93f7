"""Who may book, and what to tell everyone else (a next step, never an error page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from freelancers.selectors import registration_standing

MAY_BOOK = frozenset({"submitted", "approved"})
MAY_BOOK_MONTHLY = frozenset({"approved"})


def registration_url() -> str:
    """The freelancer's registration page (it starts, continues or renews the registration)."""
    return reverse("freelancers:dashboard")


@dataclass(frozen=True)
class Eligibility:
    standing: str
    may_book: bool
    may_book_monthly: bool
    next_step: str | Promise = ""
    next_step_url: str = ""
    next_step_label: str | Promise = ""


_NEXT_STEPS: dict[str, tuple[Promise, Promise]] = {
    "none": (
        _("Before you can book, complete your freelancer registration. It takes about ten minutes."),
        _("Start your registration"),
    ),
    "draft": (
        _("Your registration is not submitted yet. Submit it and you can book straight away."),
        _("Finish your registration"),
    ),
    "rejected": (
        _("Your registration was not accepted, so you cannot book. Read the reason and apply again."),
        _("See your registration"),
    ),
    "expired": (
        _("Your registration has expired. Renew it to book again."),
        _("Renew your registration"),
    ),
}


def eligibility(user: Any, *, standing: str | None = None) -> Eligibility:
    """What ``user`` may book; ``standing`` when the caller already read it (``standing_of``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Eligibility(
            "anonymous",
            False,
            False,
            _("Sign in to book a space. New here? Create a free account first."),
            reverse("account_login"),
            _("Sign in"),
        )
    if standing is None:
        standing = registration_standing(user)
    if standing in MAY_BOOK:
        return Eligibility(standing, True, standing in MAY_BOOK_MONTHLY)
    message, label = _NEXT_STEPS.get(standing, _NEXT_STEPS["none"])
    return Eligibility(standing, False, False, message, registration_url(), label)
