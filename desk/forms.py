"""Desk forms: small, labelled, and only shape-checking; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import SpaceKind

from .models import PaymentMethod


class ScanForm(forms.Form):
    reference = forms.CharField(
        label=_("Scan or type a booking reference"),
        max_length=200,
        help_text=_("A handheld scanner types the reference and presses Enter for you."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "class": "scan-input",
                "dir": "ltr",
            }
        ),
        error_messages={"required": _("Scan the QR code or type the reference first.")},
    )


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person by reference, CNIC or mobile"),
        max_length=100,
        help_text=_("For example K7M2QX9P, 35202-1234567-1 or 0300-1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        error_messages={"required": _("Type a reference, a CNIC or a mobile number.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search today's bookings"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class WalkInFindForm(forms.Form):
    person = forms.CharField(
        label=_("Walk-in: CNIC or mobile of a registered freelancer"),
        max_length=30,
        help_text=_("For example 35202-1234567-1 or 0300-1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        error_messages={"required": _("Type the person's CNIC or mobile number.")},
    )


class WalkInKindForm(forms.Form):
    """Which kind of space the walk-in wants, and (optionally) which free one of that kind."""

    kind = forms.ChoiceField(label=_("Kind of space"), required=False, choices=[("", ""), *SpaceKind.choices])
    space = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class WalkInBookForm(forms.Form):
    person = forms.CharField(widget=forms.HiddenInput, max_length=30)
    space = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    until = forms.CharField(label=_("How long"), max_length=5)


class PaymentForm(forms.Form):
    amount_pkr = forms.IntegerField(
        label=_("Amount (Rs)"),
        min_value=1,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        error_messages={
            "required": _("Enter the amount received."),
            "invalid": _("Enter the amount in whole rupees, for example 1500."),
            "min_value": _("The amount must be more than Rs 0."),
        },
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    reference = forms.CharField(
        label=_("Transaction reference"),
        required=False,
        max_length=100,
        help_text=_("The bank, JazzCash or Easypaisa transaction id. Not needed for cash."),
    )
