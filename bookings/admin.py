"""PSEB's read-mostly view of bookings. Changes go through the services (the desk, the person), not here:
an edited row would skip the audit trail and the rules, so bookings are read-only in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Booking, BookingEvent


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "actor", "reason", "data")
    ordering = ["at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("actor")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "starts_at", "ends_at", "centre", "space", "user", "product", "status", "price_pkr",
                    "source"]
    list_filter = ["status", "product", "source", "holds_seat", "centre__province", "starts_at"]
    search_fields = ["reference", "user__email", "user__full_name", "centre__name", "space__label"]
    date_hierarchy = "starts_at"
    list_select_related = ["centre", "space", "user"]
    show_full_result_count = False  # counting millions of rows on every page load is not worth it
    raw_id_fields = ["user", "space", "centre", "created_by"]
    inlines = [BookingEventInline]
    ordering = ["-starts_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
