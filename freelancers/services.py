"""Writes to a registration while the freelancer fills it in: identity, work, declaration, documents.

Pages, the API and the admin call these. The status workflow (submit, decide, expire)
lives in ``freelancers.lifecycle``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.hours import local_today
from erozgar.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from erozgar.ids import parse_id
from freelancers import rules
from freelancers.lifecycle import lock_registration
from freelancers.models import (
    EDITABLE_STATUSES,
    Document,
    DocumentKind,
    PlatformProfile,
    Registration,
    RegistrationStatus,
    SkillCategory,
)
from freelancers.selectors import cnic_taken_by_other
from freelancers.uploads import clean_upload

S = RegistrationStatus
MAX_SUPPORTING_DOCUMENTS = 5

CNIC_TAKEN = _(
    "This CNIC is already registered with another account. If it is yours, contact PSEB to have it checked."
)
NOT_EDITABLE = _("Your registration is being reviewed or has been decided, so it cannot be changed now.")


# --- editing the draft ----------------------------------------------------------------


def _editable(registration: Registration, actor: Any) -> Registration:
    current = lock_registration(registration.pk)
    if actor is None or actor.pk != current.user_id:
        raise NotAllowed(_("You can only change your own registration."))
    if current.status not in EDITABLE_STATUSES:
        raise InvalidTransition(NOT_EDITABLE, extra={"status": current.status})
    return current


def _run_rules(data: Mapping[str, Any], checks: Mapping[str, Any]) -> dict[str, Any]:
    """Apply each field's rule to the values given; blank values clear the field (a draft may be partial)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    for field, check in checks.items():
        if field not in data:
            continue
        value = data[field]
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            cleaned[field] = None if field in {"cnic", "date_of_birth", "years_of_experience"} else ""
            continue
        try:
            cleaned[field] = check(value)
        except ValidationError as error:
            errors[field] = list(error.messages)
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    return cleaned


def _identity_checks() -> dict[str, Any]:
    today = local_today()
    return {
        "full_name": lambda v: rules.clean_person_name(v, label=str(_("Full name"))),
        "guardian_name": lambda v: rules.clean_person_name(v, label=str(_("Father's or husband's name"))),
        "date_of_birth": lambda v: rules.clean_date_of_birth(v, today=today),
        "gender": rules.clean_gender,
        "cnic": rules.clean_cnic,
        "mobile": rules.clean_mobile,
        "city": rules.clean_city,
        "province": rules.clean_province,
        "address": rules.clean_address,
    }


def _save(registration: Registration, fields: Sequence[str]) -> None:
    """Save, turning a lost CNIC race (the unique index) into the same friendly message."""
    try:
        with transaction.atomic():
            registration.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as error:
        if "registration_cnic_unique" in str(error):
            raise Conflict(CNIC_TAKEN, fields={"cnic": [CNIC_TAKEN]}) from None
        raise


@transaction.atomic
def registration_start(*, user: Any) -> Registration:
    """The user's registration, created as an empty draft the first time (safe when called twice at once)."""
    registration, _created = Registration.objects.get_or_create(
        user=user, defaults={"full_name": (user.full_name or "")[:150]}
    )
    return registration


@transaction.atomic
def registration_update_identity(
    *, registration: Registration, actor: Any, data: Mapping[str, Any]
) -> Registration:
    current = _editable(registration, actor)
    cleaned = _run_rules(data, _identity_checks())
    cnic = cleaned.get("cnic")
    if cnic and cnic_taken_by_other(cnic=cnic, registration_id=current.pk):
        raise Conflict(CNIC_TAKEN, fields={"cnic": [CNIC_TAKEN]})
    for field, value in cleaned.items():
        setattr(current, field, value)
    _save(current, list(cleaned))
    return current


@transaction.atomic
def registration_update_work(
    *,
    registration: Registration,
    actor: Any,
    data: Mapping[str, Any],
) -> Registration:
    """Skills (codes or ids), years of experience, NTN and profile links ``[(platform, url), ...]``."""
    current = _editable(registration, actor)
    cleaned = _run_rules(
        data, {"years_of_experience": rules.clean_years_of_experience, "ntn": rules.clean_ntn}
    )
    errors: dict[str, list[Any]] = {}
    skills: list[SkillCategory] | None = None
    if "skills" in data:
        wanted = [str(s) for s in data["skills"] or []]
        skills = list(
            SkillCategory.objects.filter(is_active=True).filter(
                Q(code__in=wanted) | Q(pk__in=[pk for pk in map(parse_id, wanted) if pk is not None])
            )
        )
        if len(skills) != len(set(wanted)):
            errors["skills"] = [_("Choose skill categories from the list.")]
        elif len(skills) > 5:
            errors["skills"] = [_("Choose at most 5 skill categories.")]
    profiles: list[tuple[str, str]] | None = None
    if "profiles" in data:
        profiles = []
        for index, (platform, url) in enumerate(data["profiles"] or []):
            try:
                profiles.append(rules.clean_profile_link(platform=platform, url=url))
            except ValidationError as error:
                errors[f"profiles.{index}"] = list(error.messages)
        if len(profiles) > rules.MAX_PROFILES:
            errors["profiles"] = [_("Add at most %(max)d profile links.") % {"max": rules.MAX_PROFILES}]
        if len({url for _platform, url in profiles}) != len(profiles):
            errors["profiles"] = [_("The same link is listed twice.")]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    for field, value in cleaned.items():
        setattr(current, field, value)
    _save(current, list(cleaned))
    if skills is not None:
        current.skills.set(skills)
    if profiles is not None:
        current.profiles.all().delete()
        PlatformProfile.objects.bulk_create(
            PlatformProfile(registration=current, platform=platform, url=url) for platform, url in profiles
        )
    return current


@transaction.atomic
def registration_set_declaration(*, registration: Registration, actor: Any, accepted: bool) -> Registration:
    current = _editable(registration, actor)
    current.declaration_accepted_at = timezone.now() if accepted else None
    _save(current, ["declaration_accepted_at"])
    return current


@transaction.atomic
def document_add(*, registration: Registration, actor: Any, kind: str, upload: Any) -> Document:
    """Check the file by content, strip it, store it privately. A CNIC or photo replaces the old one."""
    current = _editable(registration, actor)
    if kind not in DocumentKind.values:
        raise DomainError(_("Choose which document this is."), fields={"kind": [_("Unknown document kind.")]})
    # The limit is checked before the file is read: a sixth file is refused without decoding it.
    if (
        kind == DocumentKind.SUPPORTING
        and current.documents.filter(kind=kind).count() >= MAX_SUPPORTING_DOCUMENTS
    ):
        raise DomainError(
            _("You can upload at most %(max)d supporting documents. Remove one first.")
            % {"max": MAX_SUPPORTING_DOCUMENTS},
            fields={"file": [_("Too many supporting documents.")]},
        )
    try:
        clean = clean_upload(upload, images_only=kind == DocumentKind.PHOTO)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"file": list(error.messages)}) from None
    if kind != DocumentKind.SUPPORTING:
        for old in current.documents.filter(kind=kind):
            _delete_document(old)
    original = str(getattr(upload, "name", "") or "")[-200:]
    document = Document(
        registration=current,
        kind=kind,
        content_type=clean.content_type,
        size=len(clean.content),
        original_name=original,
    )
    # Checked and cleaned before anything touches the disk; a failed insert removes the file again.
    document.file.save(f"upload{clean.extension}", ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    return document


def _delete_document(document: Document) -> None:
    name = str(document.file.name)
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def registration_erase(*, registration: Registration) -> tuple[str, int]:
    """Delete a registration with its documents (files too, once committed), profiles and history.

    Returns what an erasure record keeps: the registration number (empty for one never
    approved) and how many documents were deleted. Called by ``privacy.erasure`` only.
    """
    number = registration.registration_number or ""
    documents = list(registration.documents.all())
    for document in documents:
        _delete_document(document)
    registration.delete()  # profiles, skills links and status history go with it
    return number, len(documents)


@transaction.atomic
def document_remove(*, registration: Registration, actor: Any, document_id: int) -> None:
    current = _editable(registration, actor)
    document = current.documents.filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("That document was not found."), code="not_found")
    _delete_document(document)
