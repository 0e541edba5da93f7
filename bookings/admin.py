"""PSEB's read-mostly view of bookings. Changes go through the services (the desk, the person), not here:
an edited row would skip the audit trail and the rules, so bookings are read-only in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from erozgar.admin import ReadOnlyAdmin
from erozgar.money import rupees

from .models import Booking, BookingEvent, OccupancyHour
from .occupancy import views as occupancy_views


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
    list_display = [
        "reference",
        "starts_at",
        "ends_at",
        "centre",
        "space",
        "user",
        "product",
        "status",
        "price",
        "source",
    ]
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

    @admin.display(description=_("Price"), ordering="price_pkr")
    def price(self, booking: Booking) -> str:
        return rupees(booking.price_pkr)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OccupancyHour)
class OccupancyHourAdmin(ReadOnlyAdmin):
    """The computed hour rows, read-only, and PSEB's rollup page (summary/, summary.csv, recompute/)."""

    list_display = [
        "day",
        "hour",
        "centre",
        "kind",
        "bookable_minutes",
        "booked_minutes",
        "checked_in_minutes",
        "computed_at",
    ]
    list_filter = ["kind", "centre__province", "centre__tier", "day"]
    search_fields = ["centre__name", "centre__city"]
    date_hierarchy = "day"
    list_select_related = ["centre"]
    show_full_result_count = False
    ordering = ["-day", "hour", "centre__name", "kind"]
    change_list_template = "bookings/occupancy/admin_change_list.html"

    def get_urls(self) -> list[URLPattern]:  # type: ignore[override]
        def wrap(view: Any) -> Any:
            def call(request: HttpRequest) -> HttpResponse:
                return view(request, self)

            return self.admin_site.admin_view(call)

        return [
            path("summary/", wrap(occupancy_views.admin_summary), name="bookings_occupancyhour_summary"),
            path("summary.csv", wrap(occupancy_views.admin_summary_csv), name="bookings_occupancyhour_csv"),
            path(
                "recompute/", wrap(occupancy_views.admin_recompute), name="bookings_occupancyhour_recompute"
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in OccupancyHour._meta.fields]
