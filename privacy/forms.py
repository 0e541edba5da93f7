from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .erasure import erasure_blockers
from .models import ErasureReason, ErasureRecord


class PasswordConfirmForm(forms.Form):
    """The person's current password: an export holds their CNIC scans, a deletion cannot be undone."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."), code="wrong_password")
        return password


class DeleteAccountForm(PasswordConfirmForm):
    confirm = forms.BooleanField(
        label=_("I understand that my registration, documents and account are deleted for good."),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ErasureRequestForm(forms.ModelForm):
    """PSEB erases a person on their written request or a legal order (the admin's add form)."""

    email = forms.EmailField(label=_("Email address of the account"), max_length=254)

    class Meta:
        model = ErasureRecord
        fields = ["reason", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [
            (value, label) for value, label in ErasureReason.choices if value != ErasureReason.OWN_REQUEST
        ]
        self.fields["note"].required = True
        self.fields["note"].help_text = _("The letter or case number the request arrived with.")
        self.person: User | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("No account has this email address."), code="not_found")
        problems = erasure_blockers(user=person)
        if problems:
            raise forms.ValidationError(problems)
        self.person = person
        return email
