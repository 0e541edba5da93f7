"""PSEB's view of outgoing email: what waits, what was sent, what failed and why; retry failed rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erozgar.admin import ReadOnlyAdmin

from . import selectors, services
from .models import EmailStatus, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["recipient", "request_id", "=object_id"]
    show_full_result_count = False
    actions = ["retry_failed"]
    exclude = ["params"]  # a rendered body can hold a sign-in link: not for display
    readonly_fields = [
        "kind",
        "object_id",
        "recipient",
        "language",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "enqueued_at",
        "claimed_at",
        "claimed_by",
        "sent_at",
        "last_error",
        "request_id",
        "created_at",
    ]

    @admin.display(description=_("last error"))
    def short_error(self, email: OutgoingEmail) -> str:
        return email.last_error[:120]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.change_outgoingemail")

    @admin.action(description=_("Send the selected failed emails again"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        chosen = list(queryset.values_list("pk", "status"))
        retried = services.emails_retry(ids=[pk for pk, status in chosen if status == EmailStatus.FAILED])
        skipped = len(chosen) - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email will be sent again.", "%(count)d emails will be sent again.", retried
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was not retried: only failed emails can be.",
                    "%(count)d emails were not retried: only failed emails can be.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(
            request, {**(extra_context or {}), "backlog": selectors.outbox_backlog()}
        )
