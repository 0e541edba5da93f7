"""Factories for the registry. Other apps' tests import RegistrationFactory from here.

RegistrationFactory()                   # a complete draft (identity, work, no documents)
RegistrationFactory(submitted=True)     # waiting for review
RegistrationFactory(approved=True)      # approved, numbered, valid for a year
RegistrationFactory(status="approved")  # same thing, by status
RegistrationFactory(user=some_user, approved=True)
RegistrationFactory(submitted=True, with_documents=True)  # plus CNIC front/back and photo files
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from freelancers.models import (
    Document,
    DocumentKind,
    PlatformProfile,
    Registration,
    RegistrationStatus,
    SkillCategory,
)

_REVIEWED = {RegistrationStatus.APPROVED, RegistrationStatus.EXPIRED}


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email is verified, so allauth lets them log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"freelancer{n}@example.pk")
    full_name = factory.Faker("name")
    password = factory.django.Password("Correct-Horse-Battery-42")

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill-{n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")
    name_ur = factory.Sequence(lambda n: f"ہنر {n}")


def _cnic(n: int) -> str:
    # Region digit 3 (Punjab) and 4 (Sindh) alternate; the rest is unique per sequence number.
    return f"{3 + n % 2}5202-{n:07d}-{n % 10}"


def _mobile(n: int) -> str:
    return f"+92300{n % 10_000_000:07d}"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(status=RegistrationStatus.SUBMITTED)
        changes_requested = factory.Trait(
            status=RegistrationStatus.CHANGES_REQUESTED, decision_reason="Please upload a clearer CNIC photo."
        )
        approved = factory.Trait(status=RegistrationStatus.APPROVED)
        rejected = factory.Trait(status=RegistrationStatus.REJECTED, decision_reason="Not a freelancer.")
        expired = factory.Trait(status=RegistrationStatus.EXPIRED)

    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.DRAFT
    full_name = factory.LazyAttribute(lambda o: o.user.full_name or "Ayesha Khan")
    guardian_name = "Muhammad Khan"
    date_of_birth = datetime.date(1996, 5, 17)
    gender = "female"
    cnic = factory.Sequence(_cnic)
    mobile = factory.Sequence(_mobile)
    city = "Lahore"
    province = "punjab"
    address = "House 12, Street 4, Johar Town"
    years_of_experience = 3
    declaration_accepted_at = factory.LazyAttribute(
        lambda o: (
            None if o.status == RegistrationStatus.DRAFT else timezone.now() - datetime.timedelta(days=2)
        )
    )
    submitted_at = factory.LazyAttribute(
        lambda o: (
            None if o.status == RegistrationStatus.DRAFT else timezone.now() - datetime.timedelta(days=2)
        )
    )
    approved_at = factory.LazyAttribute(
        lambda o: (
            (timezone.now() - datetime.timedelta(days=400 if o.status == RegistrationStatus.EXPIRED else 1))
            if o.status in _REVIEWED
            else None
        )
    )
    decided_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.status in (RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED)
            else o.approved_at or timezone.now()
        )
    )
    valid_until = factory.LazyAttribute(
        lambda o: (o.approved_at + datetime.timedelta(days=365)).date() if o.approved_at else None
    )
    registration_number = factory.LazyAttributeSequence(
        lambda o, n: f"PSEB-FL-{o.approved_at.year}-{900000 + n:06d}" if o.status in _REVIEWED else None
    )

    @factory.post_generation
    def skills(obj: Registration, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if not create:
            return
        skills = extracted if extracted is not None else [SkillCategoryFactory(code="web-development")]
        obj.skills.set(skills)

    @factory.post_generation
    def profiles(obj: Registration, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted is None:
            PlatformProfile.objects.create(
                registration=obj, platform="upwork", url=f"https://www.upwork.com/freelancers/~0{obj.pk:08d}"
            )

    @factory.post_generation
    def with_documents(obj: Registration, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        """``with_documents=True`` stores a CNIC front, back and photo (real files under MEDIA_ROOT)."""
        if create and extracted:
            for kind in (DocumentKind.CNIC_FRONT, DocumentKind.CNIC_BACK, DocumentKind.PHOTO):
                DocumentFactory(registration=obj, kind=kind)


# The smallest valid files of each kind, for document tests.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A stored document (bypasses upload checks; use the service to test those)."""

    class Meta:
        model = Document

    registration = factory.SubFactory(RegistrationFactory)
    kind = DocumentKind.PHOTO
    file = factory.django.FileField(filename="photo.png", data=TINY_PNG)
    content_type = "image/png"
    size = len(TINY_PNG)
    original_name = "photo.png"
