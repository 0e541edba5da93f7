from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from erozgar.errors import DomainError

from .erasure import person_erase
from .forms import ErasureRequestForm
from .models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The register of erasures. "Add" erases a person: PSEB acts on a written request."""

    list_display = ("erased_at", "reason", "note", "registration_number", "bookings_kept", "erased_by")
    list_filter = ("reason",)
    search_fields = ("registration_number", "note")
    date_hierarchy = "erased_at"
    readonly_fields = (
        "erased_at",
        "account",
        "erased_by",
        "reason",
        "note",
        "registration_number",
        "documents_deleted",
        "bookings_cancelled",
        "bookings_kept",
    )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ErasureRequestForm
            kwargs["fields"] = ["email", "reason", "note"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": ["email", "reason", "note"]})]
        return super().get_fieldsets(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        assert isinstance(form, ErasureRequestForm) and form.person is not None
        try:
            record = person_erase(
                user=form.person,
                erased_by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:  # a booking started between the form check and now
            self.message_user(request, str(exc.message), level=messages.ERROR)
            raise
        obj.pk = record.pk
        obj.__dict__.update({k: v for k, v in record.__dict__.items() if not k.startswith("_")})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing related to save: the record was written by the erasure itself."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return super().log_addition(request, obj, _("Erased a person's data"))
