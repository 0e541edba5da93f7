"""Putting a service's refusal onto a form, the same way on every page."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from erozgar.errors import DomainError


def apply_domain_error(form: forms.BaseForm, error: DomainError, *, leave: Iterable[str] = ()) -> None:
    """Show ``error`` on ``form``: each field's messages on that field, the rest on the form itself.

    Messages for a field the form does not have (and ``non_field_errors``) become form-wide
    errors. Fields named in ``leave`` (and ``name.N`` below them) are shown by the caller
    somewhere else, such as the forms of a formset. When nothing lands on this form through a
    field message, the refusal's own message is shown on the form, so no refusal goes unseen.
    """
    leave = set(leave)
    placed = False
    for field, messages in error.fields.items():
        if field.split(".")[0] in leave:
            continue
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
        placed = True
    if not placed:
        form.add_error(None, error.message)
