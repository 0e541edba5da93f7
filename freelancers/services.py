"""Every write to the registry. Pages, the API, the admin and Celery tasks all call these.

The status workflow lives in ``_transition`` and its table ``TRANSITIONS``: nothing
else changes ``Registration.status``. Each change locks the row, checks the move is
allowed for this actor, writes the audit row in the same transaction and queues the
email after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erozgar.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from erozgar.ids import parse_id
from erozgar.mail import queue_templated_email
from freelancers import rules
from freelancers.models import (
    EDITABLE_STATUSES,
    REGISTRATION_NUMBER_SEQUENCE,
    Document,
    DocumentKind,
    PlatformProfile,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    SkillCategory,
)
from freelancers.selectors import cnic_taken_by_other, local_today, missing_documents
from freelancers.uploads import clean_upload

S = RegistrationStatus
REVIEW_PERMISSION = "freelancers.review_registration"
MAX_SUPPORTING_DOCUMENTS = 5
VALIDITY_YEARS = 1

CNIC_TAKEN = _(
    "This CNIC is already registered with another account. If it is yours, contact PSEB to have it checked."
)
NOT_EDITABLE = _("Your registration is being reviewed or has been decided, so it cannot be changed now.")


# --- the workflow ---------------------------------------------------------------------

OWNER, REVIEWER, SYSTEM = "owner", "reviewer", "system"

# (from, to) -> who may make that move. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): OWNER,
    (S.CHANGES_REQUESTED, S.SUBMITTED): OWNER,
    (S.EXPIRED, S.SUBMITTED): OWNER,  # renewal
    (S.SUBMITTED, S.APPROVED): REVIEWER,
    (S.SUBMITTED, S.CHANGES_REQUESTED): REVIEWER,
    (S.SUBMITTED, S.REJECTED): REVIEWER,
    (S.APPROVED, S.EXPIRED): SYSTEM,
}
REASON_REQUIRED = frozenset({S.CHANGES_REQUESTED, S.REJECTED})

EMAIL_ON = {
    S.SUBMITTED: "freelancers/email/submitted",
    S.APPROVED: "freelancers/email/approved",
    S.CHANGES_REQUESTED: "freelancers/email/changes_requested",
    S.REJECTED: "freelancers/email/rejected",
    S.EXPIRED: "freelancers/email/expired",
}


def is_reviewer(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)
    )


def allowed_transitions(registration: Registration) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == registration.status]


def _lock(registration_id: int) -> Registration:
    return Registration.objects.select_for_update().select_related("user").get(pk=registration_id)


def _transition(*, registration_id: int, to: str, actor: Any, reason: str = "") -> Registration:
    registration = _lock(registration_id)
    frm = registration.status
    who = TRANSITIONS.get((frm, to))
    if who is None:
        raise InvalidTransition(
            _("A registration that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(frm).label, "to": S(to).label},
            extra={"status": frm},
        )
    if who == OWNER and (actor is None or actor.pk != registration.user_id):
        raise NotAllowed(_("Only the freelancer can submit this registration."))
    if who == REVIEWER and not is_reviewer(actor):
        raise NotAllowed(_("Only PSEB reviewers can decide on registrations."))
    if who == SYSTEM and actor is not None:
        raise NotAllowed(_("Registrations expire on their own; nobody can expire one by hand."))
    reason = " ".join((reason or "").split()) if to != S.CHANGES_REQUESTED else (reason or "").strip()
    if to in REASON_REQUIRED and not reason:
        raise DomainError(
            _("Please give a reason; the freelancer will read it."),
            fields={"reason": [_("A reason is required.")]},
        )
    if len(reason) > 2000:
        raise DomainError(
            _("The reason can be at most 2000 characters."), fields={"reason": [_("Too long.")]}
        )

    now = timezone.now()
    registration.status = to
    fields = ["status", "updated_at"]
    if to == S.SUBMITTED:
        registration.submitted_at = now
        fields.append("submitted_at")
    if who == REVIEWER:
        registration.decided_at = now
        registration.decision_reason = reason
        fields += ["decided_at", "decision_reason"]
    if to == S.APPROVED:
        if not registration.registration_number:  # a renewal keeps its number
            registration.registration_number = _next_registration_number(now)
        registration.approved_at = now
        registration.valid_until = _validity_end(local_today())
        fields += ["registration_number", "approved_at", "valid_until"]
    registration.save(update_fields=fields)
    RegistrationEvent.objects.create(
        registration=registration,
        from_status=frm,
        to_status=to,
        actor=actor if who != SYSTEM else None,
        reason=reason,
    )
    _email_status(registration)
    return registration


def _next_registration_number(now: datetime.datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [REGISTRATION_NUMBER_SEQUENCE])
        (value,) = cursor.fetchone()
    year = timezone.localtime(now).year
    return f"PSEB-FL-{year}-{value:06d}"


def _validity_end(start: datetime.date) -> datetime.date:
    try:
        anniversary = start.replace(year=start.year + VALIDITY_YEARS)
    except ValueError:
        anniversary = start.replace(year=start.year + VALIDITY_YEARS, day=28)
    return anniversary - datetime.timedelta(days=1)


def _email_status(registration: Registration) -> None:
    prefix = EMAIL_ON.get(S(registration.status))
    if prefix is None:
        return
    queue_templated_email(
        template_prefix=prefix,
        to=[registration.user.email],
        language=registration.user.language,
        context={
            "name": registration.full_name or registration.user.get_full_name(),
            "reason": registration.decision_reason,
            "registration_number": registration.registration_number,
            "valid_until": registration.valid_until,
            "dashboard_path": reverse("freelancers:dashboard"),
            "certificate_path": reverse("freelancers:certificate"),
            "verify_path": reverse("freelancers:verify", args=[registration.registration_number])
            if registration.registration_number
            else "",
        },
    )


@transaction.atomic
def registration_submit(*, registration: Registration, actor: Any) -> Registration:
    """Send a complete registration for review (also a resubmission after changes, or a renewal)."""
    current = _lock(registration.pk)
    if current.status in EDITABLE_STATUSES and actor is not None and actor.pk == current.user_id:
        problems = completeness_problems(current)
        if problems:
            raise DomainError(
                _("Your registration is not complete yet. Please fix the points listed."),
                code="incomplete",
                fields=problems,
            )
    return _transition(registration_id=registration.pk, to=S.SUBMITTED, actor=actor)


@transaction.atomic
def registration_approve(*, registration: Registration, actor: Any, reason: str = "") -> Registration:
    return _transition(registration_id=registration.pk, to=S.APPROVED, actor=actor, reason=reason)


@transaction.atomic
def registration_request_changes(*, registration: Registration, actor: Any, reason: str) -> Registration:
    return _transition(registration_id=registration.pk, to=S.CHANGES_REQUESTED, actor=actor, reason=reason)


@transaction.atomic
def registration_reject(*, registration: Registration, actor: Any, reason: str) -> Registration:
    return _transition(registration_id=registration.pk, to=S.REJECTED, actor=actor, reason=reason)


DECISIONS = {
    S.APPROVED: registration_approve,
    S.CHANGES_REQUESTED: registration_request_changes,
    S.REJECTED: registration_reject,
}


@dataclass
class BulkResult:
    done: list[Registration]
    refused: list[tuple[Registration, str]]


def registrations_decide(
    *, registrations: Iterable[Registration], decision: str, actor: Any, reason: str
) -> BulkResult:
    """Apply one decision to many registrations; each one in its own transaction."""
    decide = DECISIONS[S(decision)]
    result = BulkResult(done=[], refused=[])
    for registration in sorted(registrations, key=lambda r: r.pk):  # a fixed lock order
        try:
            result.done.append(decide(registration=registration, actor=actor, reason=reason))
        except DomainError as error:
            result.refused.append((registration, str(error.message)))
    return result


@transaction.atomic
def registration_expire(*, registration_id: int) -> bool:
    """Approved and past its validity -> expired. Safe to call twice (returns False)."""
    current = _lock(registration_id)
    if current.status != S.APPROVED or current.valid_until is None or current.valid_until >= local_today():
        return False
    _transition(registration_id=registration_id, to=S.EXPIRED, actor=None)
    return True


def claim_expiry_reminder(*, registration_id: int) -> Registration | None:
    """Mark the 30-day reminder as sent for the current validity; only one caller ever wins."""
    registration = Registration.objects.select_related("user").get(pk=registration_id)
    claimed = (
        Registration.objects.filter(
            pk=registration_id, status=S.APPROVED, valid_until=registration.valid_until
        )
        .filter(
            Q(expiry_reminder_sent_for__isnull=True) | ~Q(expiry_reminder_sent_for=registration.valid_until)
        )
        .update(expiry_reminder_sent_for=registration.valid_until)
    )
    return registration if claimed else None


@transaction.atomic
def send_expiry_reminder(*, registration_id: int) -> bool:
    registration = claim_expiry_reminder(registration_id=registration_id)
    if registration is None:
        return False
    queue_templated_email(
        template_prefix="freelancers/email/expiring",
        to=[registration.user.email],
        language=registration.user.language,
        context={
            "name": registration.full_name,
            "registration_number": registration.registration_number,
            "valid_until": registration.valid_until,
            "dashboard_path": reverse("freelancers:dashboard"),
        },
    )
    return True


# --- editing the draft ----------------------------------------------------------------


def _editable(registration: Registration, actor: Any) -> Registration:
    current = _lock(registration.pk)
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
    try:
        clean = clean_upload(upload, images_only=kind == DocumentKind.PHOTO)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"file": list(error.messages)}) from None
    if kind == DocumentKind.SUPPORTING:
        if current.documents.filter(kind=kind).count() >= MAX_SUPPORTING_DOCUMENTS:
            raise DomainError(
                _("You can upload at most %(max)d supporting documents. Remove one first.")
                % {"max": MAX_SUPPORTING_DOCUMENTS},
                fields={"file": [_("Too many supporting documents.")]},
            )
    else:
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
def document_remove(*, registration: Registration, actor: Any, document_id: int) -> None:
    current = _editable(registration, actor)
    document = current.documents.filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("That document was not found."), code="not_found")
    _delete_document(document)


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
