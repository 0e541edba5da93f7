"""The PSEB registry: one registration per freelancer, its documents, links and audit trail.

Rules about *changing* a registration (who may move it from which status to which)
live in ``freelancers.lifecycle``; the database holds the invariants that must never
break whoever writes: one registration per user, one CNIC per person, canonical
identifiers, and an approved registration always carrying its number and validity.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from centres.models import Province
from erozgar.fields import BlindIndexField, SealedTextField, with_blind_indexes
from erozgar.storage import SealedFileStorage

REGISTRATION_NUMBER_PATTERN = r"^PSEB-FL-[0-9]{4}-[0-9]{6,}$"
# PostgreSQL sequence behind registration numbers (created in migration 0001).
REGISTRATION_NUMBER_SEQUENCE = "freelancers_registration_number_seq"


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


# Statuses in which the freelancer may edit the form (an expired one is edited to renew).
EDITABLE_STATUSES = frozenset(
    {RegistrationStatus.DRAFT, RegistrationStatus.CHANGES_REQUESTED, RegistrationStatus.EXPIRED}
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    TRANSGENDER = "transgender", _("Transgender")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Platform(models.TextChoices):
    UPWORK = "upwork", "Upwork"
    FIVERR = "fiverr", "Fiverr"
    FREELANCER = "freelancer", "Freelancer.com"
    PEOPLEPERHOUR = "peopleperhour", "PeoplePerHour"
    LINKEDIN = "linkedin", "LinkedIn"
    GITHUB = "github", "GitHub"
    PORTFOLIO = "portfolio", _("Portfolio website")


# The host a profile link must be on (or a subdomain of). A portfolio may live anywhere.
PLATFORM_HOSTS: dict[str, str | None] = {
    Platform.UPWORK: "upwork.com",
    Platform.FIVERR: "fiverr.com",
    Platform.FREELANCER: "freelancer.com",
    Platform.PEOPLEPERHOUR: "peopleperhour.com",
    Platform.LINKEDIN: "linkedin.com",
    Platform.GITHUB: "github.com",
    Platform.PORTFOLIO: None,
}


class DocumentKind(models.TextChoices):
    CNIC_FRONT = "cnic_front", _("CNIC front")
    CNIC_BACK = "cnic_back", _("CNIC back")
    PHOTO = "photo", _("Photograph")
    SUPPORTING = "supporting", _("Supporting document")


REQUIRED_DOCUMENT_KINDS = (DocumentKind.CNIC_FRONT, DocumentKind.CNIC_BACK, DocumentKind.PHOTO)


class SkillCategory(models.Model):
    """An admin-managed skill a freelancer can pick (web development, graphic design, ...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("offered on the form"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "name_en"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name_en


class Registration(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registration",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )

    # Identity
    full_name = models.CharField(_("full name (as on CNIC)"), max_length=150, blank=True)
    guardian_name = models.CharField(_("father's or husband's name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    # Sealed in the database (erozgar.fields): canonical `#####-#######-#`, NULL until entered.
    # Found and kept unique through its blind index.
    cnic = SealedTextField(_("CNIC"), max_length=15, purpose="registration.cnic")
    cnic_digest = BlindIndexField(source="cnic", purpose="cnic")
    # Sealed too: E.164, +923XXXXXXXXX, NULL until entered. Not unique (family phones).
    mobile = SealedTextField(_("mobile number"), max_length=16, purpose="registration.mobile")
    mobile_digest = BlindIndexField(source="mobile", purpose="mobile")
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    # Work
    skills = models.ManyToManyField(
        SkillCategory, blank=True, related_name="registrations", verbose_name=_("skill categories")
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    ntn = models.CharField(_("NTN (tax number)"), max_length=9, blank=True)

    # Declaration and review
    declaration_accepted_at = models.DateTimeField(_("declaration accepted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("last decision at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason given with the last decision"), blank=True)
    registration_number = models.CharField(_("registration number"), max_length=24, null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    expiry_reminder_sent_for = models.DateField(
        _("expiry reminder sent for validity ending"), null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("freelancer registration")
        verbose_name_plural = _("freelancer registrations")
        permissions = [
            ("review_registration", _("Can review (approve, request changes, reject) registrations"))
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="registration_status_submitted"),
            models.Index(fields=["mobile_digest"], name="registration_mobile"),
            models.Index(fields=["status", "valid_until"], name="registration_status_valid"),
            models.Index(fields=["province", "city"], name="registration_place"),
            # The admin's default list: newest submissions first, over the whole registry.
            models.Index(fields=["-submitted_at", "-id"], name="registration_newest_first"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cnic_digest"],
                name="registration_cnic_unique",
                violation_error_message=_("This CNIC is already registered to another account."),
            ),
            models.UniqueConstraint(fields=["registration_number"], name="registration_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            # The format of a sealed value is checked by freelancers.rules before it is sealed;
            # the database still holds that a value and its blind index come and go together.
            models.CheckConstraint(
                condition=Q(cnic__isnull=True, cnic_digest__isnull=True)
                | Q(cnic__isnull=False, cnic_digest__isnull=False),
                name="registration_cnic_indexed",
            ),
            models.CheckConstraint(
                condition=Q(mobile__isnull=True, mobile_digest__isnull=True)
                | Q(mobile__isnull=False, mobile_digest__isnull=False),
                name="registration_mobile_indexed",
            ),
            models.CheckConstraint(
                condition=Q(registration_number__isnull=True)
                | Q(registration_number__regex=REGISTRATION_NUMBER_PATTERN),
                name="registration_number_format",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RegistrationStatus.APPROVED, RegistrationStatus.EXPIRED])
                | Q(registration_number__isnull=False, approved_at__isnull=False, valid_until__isnull=False),
                name="registration_approved_has_number",
                violation_error_message=_("An approved registration needs a number and a validity date."),
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.DRAFT)
                | Q(cnic__isnull=False, submitted_at__isnull=False, declaration_accepted_at__isnull=False),
                name="registration_submitted_is_complete",
                violation_error_message=_(
                    "A submitted registration needs a CNIC and the accepted declaration."
                ),
            ),
            models.CheckConstraint(
                condition=Q(years_of_experience__isnull=True) | Q(years_of_experience__lte=60),
                name="registration_experience_range",
            ),
            models.CheckConstraint(
                condition=Q(ntn="") | Q(ntn__regex=r"^[0-9]{7,9}$"),
                name="registration_ntn_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(self.user)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Storage, not a rule: a sealed identifier and its blind index are written together.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_blind_indexes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

    @property
    def masked_cnic(self) -> str:
        return mask_cnic(self.cnic)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def mask_cnic(cnic: str | None) -> str:
    """`35202-1234567-3` -> `35202-*******-3` (lists and exports never show the middle)."""
    if not cnic or len(cnic) != 15:
        return ""
    return f"{cnic[:5]}-*******-{cnic[-1]}"


class PlatformProfile(models.Model):
    """A link to the freelancer's profile on a marketplace (or their portfolio)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="profiles")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("profile link"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("platform profile")
        verbose_name_plural = _("platform profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "url"], name="profile_url_unique_per_registration"
            ),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="profile_platform_valid"),
            models.CheckConstraint(condition=Q(url__regex=r"^https?://"), name="profile_url_http"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"


# Documents live under MEDIA_ROOT, which no URL serves, sealed and owner-only on disk;
# `freelancers.views.document` unseals and streams them after checking who is asking.
def private_storage() -> SealedFileStorage:
    # Reads MEDIA_ROOT lazily, so a changed setting (tests, deployments) is honoured.
    return SealedFileStorage()


def document_path(instance: Document, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"private/registrations/{instance.registration_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    # Sealed: people name their scans after their CNIC ("35202-1234567-3 front.jpg").
    original_name = SealedTextField(_("original file name"), max_length=200, purpose="document.original_name")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=~Q(kind=DocumentKind.SUPPORTING),
                name="document_one_per_required_kind",
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png", "application/pdf"]),
                name="document_content_type_allowed",
            ),
            models.CheckConstraint(condition=Q(size__lte=5 * 1024 * 1024), name="document_size_capped"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"

    @cached_property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class RegistrationEvent(models.Model):
    """One status change: who made it, when and why. Written by the service, never edited."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RegistrationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        indexes = [models.Index(fields=["registration", "created_at"], name="registration_event_when")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"

    @property
    def actor_label(self) -> Any:
        return self.actor or _("system")
