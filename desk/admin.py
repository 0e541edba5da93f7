"""PSEB admins read desk payments and the desk log here (read-only: the desk writes them)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from erozgar.admin import ReadOnlyAdmin
from erozgar.money import rupees

from .models import DeskAction, Payment


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "receipt_number",
        "received_at",
        "centre",
        "booking",
        "amount",
        "method",
        "received_by",
    ]
    list_filter = ["method", "centre__province", "centre"]
    search_fields = ["booking__reference", "reference", "received_by__email"]
    date_hierarchy = "received_at"
    list_select_related = ["centre", "booking", "received_by"]
    raw_id_fields = ["booking", "received_by"]

    @admin.display(description=_("Amount"), ordering="amount_pkr")
    def amount(self, payment: Payment) -> str:
        return rupees(payment.amount_pkr)


@admin.register(DeskAction)
class DeskActionAdmin(ReadOnlyAdmin):
    list_display = ["at", "centre", "kind", "actor", "booking", "summary"]
    list_filter = ["kind", "centre"]
    search_fields = ["summary", "booking__reference", "actor__email", "nonce"]
    date_hierarchy = "at"
    list_select_related = ["centre", "actor", "booking"]
    raw_id_fields = ["booking", "actor"]
