"""API shapes. Like the forms they only parse; the services hold the rules and the messages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from centres.models import Province
from freelancers import selectors
from freelancers.identifiers import display_mobile
from freelancers.models import Document, DocumentKind, Gender, Platform, Registration, RegistrationStatus


class ProfileSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    url = serializers.CharField(max_length=300)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A partial save (PATCH/PUT with some fields) still needs whole profiles.
        missing = {name: [_("This field is required.")] for name in ("platform", "url") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    original_name = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "content_type", "size", "original_name", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, document: Document) -> str:
        return reverse("freelancers:document", args=[document.pk])

    def get_original_name(self, document: Document) -> str:
        return document.original_name or ""


class RegistrationSerializer(serializers.Serializer):
    """The signed-in freelancer's registration. PUT saves the draft (any subset of fields)."""

    status = serializers.ChoiceField(choices=RegistrationStatus.choices, read_only=True)
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    guardian_name = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    cnic = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        help_text="35202-1234567-3 or 3520212345673",
    )
    mobile = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="E.164 on output"
    )
    city = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    province = serializers.ChoiceField(choices=Province.choices, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    skills = serializers.ListField(
        child=serializers.SlugField(), required=False, max_length=20, help_text="Skill category codes"
    )
    years_of_experience = serializers.IntegerField(required=False, allow_null=True)
    ntn = serializers.CharField(required=False, allow_blank=True, max_length=40)
    profiles = ProfileSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]
    declaration_accepted = serializers.BooleanField(required=False)
    documents = DocumentSerializer(many=True, read_only=True)
    missing = serializers.DictField(
        read_only=True, help_text="What is still needed before submitting, by field"
    )
    decision_reason = serializers.CharField(read_only=True)
    registration_number = serializers.CharField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)

    def to_representation(self, instance: Registration) -> dict[str, Any]:
        return {
            "status": instance.status,
            "full_name": instance.full_name,
            "guardian_name": instance.guardian_name,
            "date_of_birth": instance.date_of_birth.isoformat() if instance.date_of_birth else None,
            "gender": instance.gender,
            "cnic": instance.cnic,
            "mobile": instance.mobile or "",
            "mobile_display": display_mobile(instance.mobile),
            "city": instance.city,
            "province": instance.province,
            "address": instance.address,
            "skills": [skill.code for skill in instance.skills.all()],
            "years_of_experience": instance.years_of_experience,
            "ntn": instance.ntn,
            "profiles": [{"platform": p.platform, "url": p.url} for p in instance.profiles.all()],
            "declaration_accepted": instance.declaration_accepted_at is not None,
            "documents": DocumentSerializer(instance.documents.all(), many=True).data,
            "missing": {
                field: [str(m) for m in msgs]
                for field, msgs in selectors.completeness_problems(instance).items()
            }
            if instance.is_editable
            else {},
            "decision_reason": instance.decision_reason,
            "registration_number": instance.registration_number,
            "submitted_at": instance.submitted_at.isoformat() if instance.submitted_at else None,
            "approved_at": instance.approved_at.isoformat() if instance.approved_at else None,
            "valid_until": instance.valid_until.isoformat() if instance.valid_until else None,
        }


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(help_text="JPEG, PNG or PDF, at most 5 MB; checked by content")


class VerificationSerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    full_name = serializers.CharField()
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    status_label = serializers.CharField()
    valid = serializers.BooleanField(source="is_valid")
    approved_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    skills = serializers.ListField(child=serializers.CharField())


class SkillSerializer(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()
