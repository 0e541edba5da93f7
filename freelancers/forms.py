"""Page forms. They only turn posted text into Python values; the rules are in services/rules,
so a page, the API and the admin refuse the same things with the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import Province
from freelancers.models import DocumentKind, Gender, Platform, SkillCategory

BLANK: list[tuple[str, Any]] = [("", "---------")]


class IdentityForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name (as on your CNIC)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 150}),
    )
    guardian_name = forms.CharField(
        label=_("Father's or husband's name"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 150}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date of birth as a date, for example 1998-04-23.")},
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=BLANK + list(Gender.choices))
    cnic = forms.CharField(
        label=_("CNIC number"),
        required=False,
        help_text=_("13 digits, with or without dashes: 35202-1234567-3"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20, "dir": "ltr"}
        ),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        help_text=_("For example 0300-1234567"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "maxlength": 25, "dir": "ltr"}),
    )
    city = forms.CharField(
        label=_("City"), required=False, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    province = forms.ChoiceField(
        label=_("Province or territory"), required=False, choices=BLANK + list(Province.choices)
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address", "maxlength": 300}),
    )


class WorkForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skill categories"),
        required=False,
        queryset=SkillCategory.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose up to 5."),
        error_messages={"invalid_choice": _("Choose skill categories from the list.")},
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of freelance experience"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 60}),
        error_messages={"invalid": _("Enter the years of experience as a number from 0 to 60.")},
    )
    ntn = forms.CharField(
        label=_("NTN (national tax number), optional"),
        required=False,
        help_text=_("For example 1234567-8"),
        widget=forms.TextInput(attrs={"maxlength": 12, "dir": "ltr"}),
    )


class ProfileForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), required=False, choices=BLANK + list(Platform.choices))
    url = forms.CharField(
        label=_("Profile link"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "url", "placeholder": "https://", "maxlength": 300, "dir": "ltr"}
        ),
    )

    def link(self) -> tuple[str, str] | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        platform, url = data.get("platform") or "", (data.get("url") or "").strip()
        if not platform and not url:
            return None
        return platform, url


ProfileFormSet = forms.formset_factory(ProfileForm, extra=2, max_num=8, absolute_max=8)


class DocumentsForm(forms.Form):
    cnic_front = forms.FileField(label=DocumentKind.CNIC_FRONT.label, required=False)
    cnic_back = forms.FileField(label=DocumentKind.CNIC_BACK.label, required=False)
    photo = forms.FileField(
        label=DocumentKind.PHOTO.label,
        required=False,
        help_text=_("A recent passport-style photo of your face."),
    )
    supporting = forms.FileField(
        label=_("Supporting document (optional)"),
        required=False,
        help_text=_("Bank remittance certificate or a platform earnings screenshot."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            images_only = name == DocumentKind.PHOTO
            field.widget.attrs["accept"] = "image/jpeg,image/png" + (
                "" if images_only else ",application/pdf"
            )
            formats = _("JPEG or PNG, up to 5 MB.") if images_only else _("JPEG, PNG or PDF, up to 5 MB.")
            field.help_text = f"{field.help_text} {formats}" if field.help_text else formats


class DeclarationForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I declare that the information and documents I have given are true and my own."),
        required=False,
    )


class ReasonForm(forms.Form):
    """Admin review: the reason shown to the freelancer."""

    reason = forms.CharField(
        label=_("Reason (the freelancer will read this)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=2000,
    )
