"""Reads of the registry. Other apps (bookings, the desk) use these, never the models directly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from centres.hours import LOCAL_TZ, local_today
from erozgar.fields import BlindIndexField
from freelancers import rules
from freelancers.identifiers import parse_cnic, parse_mobile
from freelancers.models import (
    REQUIRED_DOCUMENT_KINDS,
    Document,
    DocumentKind,
    Registration,
    RegistrationStatus,
    SkillCategory,
)

# What `registration_standing` answers. Bookings allow "submitted" and "approved";
# monthly seat plans only "approved".
STANDING_NONE = "none"
STANDING_DRAFT = "draft"
STANDING_SUBMITTED = "submitted"
STANDING_APPROVED = "approved"
STANDING_REJECTED = "rejected"
STANDING_EXPIRED = "expired"


def registered_name(user_ref: str = "user_id") -> Subquery:
    """The full name (as on CNIC) of the registration of the user ``user_ref`` points at, for an
    annotation: the name the desk checks a person by, read in the same query as the row."""
    return Subquery(Registration.objects.filter(user_id=OuterRef(user_ref)).values("full_name")[:1])


def registered_full_name(user_id: int) -> str:
    """The person's name as on their CNIC, or "" when they have no registration (or no name yet)."""
    row = Registration.objects.filter(user_id=user_id).values("full_name").first()
    return row["full_name"] if row else ""


def registration_standing(user: Any) -> str:
    """One word for what a person's registration allows: none, draft, submitted, approved, rejected, expired.

    "submitted" covers a registration waiting for review and one sent back for changes.
    An approved registration past its validity counts as "expired" even before the
    nightly expiry task has run.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return STANDING_NONE
    row = Registration.objects.filter(user_id=user.pk).values("status", "valid_until").first()
    if row is None:
        return STANDING_NONE
    return standing_of(row["status"], row["valid_until"])


def registration_standing_fields(user_id: int) -> dict[str, Subquery]:
    """Annotations reading the person's registration status and validity on another query's row
    (booking reads them with the space: one round trip less); ``standing_of`` turns them into a word."""
    latest = Registration.objects.filter(user_id=user_id)
    return {
        "registration_status": Subquery(latest.values("status")[:1]),
        "registration_valid_until": Subquery(latest.values("valid_until")[:1]),
    }


def standing_of(status: str | None, valid_until: datetime.date | None) -> str:
    """``registration_standing`` from a registration's status and validity (None: no registration)."""
    if status is None:
        return STANDING_NONE
    if status == RegistrationStatus.APPROVED:
        if valid_until is not None and valid_until < local_today():
            return STANDING_EXPIRED
        return STANDING_APPROVED
    if status in (RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED):
        return STANDING_SUBMITTED
    return {
        RegistrationStatus.DRAFT: STANDING_DRAFT,
        RegistrationStatus.REJECTED: STANDING_REJECTED,
        RegistrationStatus.EXPIRED: STANDING_EXPIRED,
    }[RegistrationStatus(status)]


def identifier_match(field: str, canonical: str) -> Q:
    """Rows whose sealed ``cnic`` or ``mobile`` equals ``canonical``, by its blind index.

    Exact values only (in their canonical form): the database holds keyed hashes, so a part
    of a CNIC or a mobile number cannot be searched for.
    """
    index = Registration._meta.get_field(f"{field}_digest")
    assert isinstance(index, BlindIndexField)
    return Q(**{index.name: index.digest(canonical)})


def find_registration_by_cnic_or_mobile(text: str) -> Registration | None:
    """The desk's look-up: a CNIC (with or without dashes) or a mobile number in any Pakistani format.

    Drafts are not found: a person only becomes known to the registry on submitting.
    Both look-ups are single index probes (unique CNIC blind index, mobile blind index).
    """
    queryset = registration_lookup(text)
    return queryset.first() if queryset is not None else None


def registration_lookup(text: str) -> QuerySet[Registration] | None:
    """The query behind the desk look-up (None when the text is neither a CNIC nor a mobile number)."""
    queryset = Registration.objects.select_related("user").exclude(status=RegistrationStatus.DRAFT)
    cnic = parse_cnic(text)
    if cnic is not None:
        return queryset.filter(identifier_match("cnic", cnic))
    mobile = parse_mobile(text)
    if mobile is not None:
        # A mobile number is not unique (family phones); prefer the most recently active.
        return queryset.filter(identifier_match("mobile", mobile)).order_by("-updated_at")
    return None


def registration_for_user(user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(user_id=user.pk)
        .select_related("user")
        .prefetch_related(
            "skills",
            "profiles",
            Prefetch("documents", queryset=Document.objects.order_by("kind", "id")),
        )
        .first()
    )


def registration_detail(registration_id: int) -> Registration:
    return (
        Registration.objects.select_related("user")
        .prefetch_related("skills", "profiles", "documents", "events__actor")
        .get(pk=registration_id)
    )


def active_skills() -> QuerySet[SkillCategory]:
    return SkillCategory.objects.filter(is_active=True)


def missing_documents(registration: Registration) -> list[str]:
    """Required document kinds not yet uploaded (uses prefetched documents when present)."""
    have = {document.kind for document in registration.documents.all()}
    return [kind for kind in REQUIRED_DOCUMENT_KINDS if kind not in have]


def cnic_taken_by_other(*, cnic: str, registration_id: int | None) -> bool:
    queryset = Registration.objects.filter(identifier_match("cnic", cnic))
    if registration_id is not None:
        queryset = queryset.exclude(pk=registration_id)
    return queryset.exists()


@dataclass(frozen=True)
class Verification:
    """What the public may learn from a registration number: nothing personal beyond the name."""

    registration_number: str
    full_name: str
    status: str
    status_label: str
    is_valid: bool
    approved_on: datetime.date | None
    valid_until: datetime.date | None
    skills: list[str]


def verify_registration(number: str) -> Verification | None:
    number = (number or "").strip().upper()
    if not number or len(number) > 24:
        return None
    registration = (
        Registration.objects.filter(registration_number=number)
        .prefetch_related("skills")
        .only("registration_number", "full_name", "status", "approved_at", "valid_until")
        .first()
    )
    if registration is None:
        return None
    today = local_today()
    is_valid = (
        registration.status == RegistrationStatus.APPROVED
        and registration.valid_until is not None
        and registration.valid_until >= today
    )
    status = registration.status
    if status == RegistrationStatus.APPROVED and not is_valid:
        status = RegistrationStatus.EXPIRED
    return Verification(
        registration_number=number,
        full_name=registration.full_name,
        status=status,
        status_label=str(RegistrationStatus(status).label),
        is_valid=is_valid,
        approved_on=registration.approved_at.astimezone(LOCAL_TZ).date()
        if registration.approved_at
        else None,
        valid_until=registration.valid_until,
        skills=[skill.name for skill in registration.skills.all()],
    )


def registrations_expiring_on(day: datetime.date) -> QuerySet[Registration]:
    return Registration.objects.filter(status=RegistrationStatus.APPROVED, valid_until=day)


def registrations_past_validity(today: datetime.date) -> QuerySet[Registration]:
    return Registration.objects.filter(status=RegistrationStatus.APPROVED, valid_until__lt=today)


def registrations_due_for_reminder(*, today: datetime.date, until: datetime.date) -> QuerySet[Registration]:
    """Approved, ending between tomorrow and ``until``, and not yet reminded for this validity."""
    return Registration.objects.filter(
        status=RegistrationStatus.APPROVED, valid_until__gt=today, valid_until__lte=until
    ).exclude(expiry_reminder_sent_for=F("valid_until"))


def registered_cities(*, province: str = "") -> list[str]:
    """Distinct cities in the registry (optionally in one province), cached for ten minutes."""
    key = f"freelancers:cities:{province or 'all'}"
    cities: list[str] | None = cache.get(key)
    if cities is None:
        queryset = Registration.objects.exclude(city="")
        if province:
            queryset = queryset.filter(province=province)
        cities = sorted(set(queryset.values_list("city", flat=True).distinct()[:500]))
        cache.set(key, cities, timeout=600)
    return cities


# --- completeness ---------------------------------------------------------------------

IDENTITY_REQUIRED = {
    "full_name": _("Full name"),
    "guardian_name": _("Father's or husband's name"),
    "date_of_birth": _("Date of birth"),
    "gender": _("Gender"),
    "cnic": _("CNIC"),
    "mobile": _("Mobile number"),
    "city": _("City"),
    "province": _("Province"),
    "address": _("Address"),
}


# Which registration step each of ``completeness_problems``' keys is fixed on.
PROBLEM_STEPS = {
    **dict.fromkeys(IDENTITY_REQUIRED, "identity"),
    "skills": "work",
    "years_of_experience": "work",
    "profiles": "work",
    "documents": "documents",
    "declaration": "declaration",
}


def unfinished_steps(problems: dict[str, list[Any]]) -> set[str]:
    """The steps that still have something missing (the step bar marks the others finished)."""
    return {PROBLEM_STEPS.get(field, "identity") for field in problems}


def completeness_problems(registration: Registration) -> dict[str, list[Any]]:
    """What is still missing before the registration can be submitted, by field."""
    problems: dict[str, list[Any]] = {}
    for field, label in IDENTITY_REQUIRED.items():
        if getattr(registration, field) in (None, ""):
            problems[field] = [_("%(field)s is missing.") % {"field": label}]
    if registration.date_of_birth is not None:
        try:
            rules.clean_date_of_birth(registration.date_of_birth, today=local_today())
        except ValidationError as error:
            problems["date_of_birth"] = list(error.messages)
    if not registration.skills.exists():
        problems["skills"] = [_("Choose at least one skill category.")]
    if registration.years_of_experience is None:
        problems["years_of_experience"] = [_("Years of experience is missing.")]
    if not registration.profiles.exists():
        problems["profiles"] = [_("Add at least one freelance platform profile or portfolio link.")]
    missing = missing_documents(registration)
    if missing:
        labels = ", ".join(str(DocumentKind(kind).label) for kind in missing)
        problems["documents"] = [_("Upload: %(documents)s.") % {"documents": labels}]
    if registration.declaration_accepted_at is None:
        problems["declaration"] = [_("Accept the declaration.")]
    return problems
