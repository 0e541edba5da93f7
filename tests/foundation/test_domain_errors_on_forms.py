"""One way to show a service's refusal on a form, used by the registration, manager and desk pages."""

from __future__ import annotations

from django import forms

from erozgar.errors import DomainError
from erozgar.forms import apply_domain_error


class _Form(forms.Form):
    amount = forms.IntegerField()
    note = forms.CharField(required=False)


def _shown(error: DomainError, **options: object) -> dict[str, list[str]]:
    form = _Form({"amount": "5"})
    form.is_valid()
    apply_domain_error(form, error, **options)  # type: ignore[arg-type]
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def test_field_messages_land_on_their_fields() -> None:
    error = DomainError("Too much.", fields={"amount": ["Rs 9 is more than the Rs 5 due."]})
    assert _shown(error) == {"amount": ["Rs 9 is more than the Rs 5 due."]}


def test_messages_for_fields_the_form_lacks_are_shown_on_the_form() -> None:
    error = DomainError("No.", fields={"non_field_errors": ["Cancelled."], "reference": ["Give the id."]})
    assert _shown(error) == {"__all__": ["Cancelled.", "Give the id."]}


def test_a_refusal_without_field_messages_shows_its_own_message() -> None:
    assert _shown(DomainError("The centre is suspended.")) == {"__all__": ["The centre is suspended."]}


def test_fields_left_to_the_caller_are_not_shown_here_but_the_refusal_still_is() -> None:
    error = DomainError("Check the links.", fields={"profiles.0": ["Not a Fiverr link."]})
    assert _shown(error, leave=["profiles"]) == {"__all__": ["Check the links."]}
