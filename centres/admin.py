"""PSEB's admin for the directory: centres with spaces, hours, closures, rules and staff; CSV in and out."""

from __future__ import annotations

import io

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres import csv_io
from centres.forms import CsvImportForm
from centres.models import (
    Centre,
    CentrePhoto,
    Closure,
    DurationRule,
    Facility,
    OpeningHours,
    Operator,
    Space,
    StaffMembership,
)


class SpaceInline(admin.TabularInline):
    model = Space
    extra = 0
    fields = [
        "kind",
        "label",
        "floor",
        "capacity",
        "in_service",
        "rate_hourly_pkr",
        "rate_daily_pkr",
        "rate_monthly_pkr",
    ]
    show_change_link = True


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class DurationRuleInline(admin.TabularInline):
    model = DurationRule
    extra = 0


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["user"]


class CentrePhotoInline(admin.TabularInline):
    model = CentrePhoto
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "province", "tier", "status", "space_total", "capacity_current"]
    list_filter = ["province", "tier", "status", "city", "facilities"]
    search_fields = ["name", "slug", "city", "address", "operator__name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["operator"]
    filter_horizontal = ["facilities"]
    list_select_related = ["operator"]
    list_per_page = 50
    actions = ["export_selected_csv"]
    inlines = [
        OpeningHoursInline,
        ClosureInline,
        SpaceInline,
        DurationRuleInline,
        StaffMembershipInline,
        CentrePhotoInline,
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "operator", "status", "facilities", "internet_speed_mbps"]}),
        (
            gettext_lazy("Location"),
            {"fields": ["address", "city", "province", "tier", "latitude", "longitude", "phone", "email"]},
        ),
        (gettext_lazy("Capacity"), {"fields": ["capacity_current", "capacity_planned"]}),
        (gettext_lazy("Description"), {"fields": ["description_en", "description_ur"]}),
        (
            gettext_lazy("Booking rules"),
            {
                "fields": [
                    "booking_horizon_days",
                    "cancellation_cutoff_minutes",
                    "checkin_opens_minutes",
                    "checkin_grace_minutes",
                    "max_active_bookings",
                ]
            },
        ),
    ]
    change_list_template = "admin/centres/centre/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Centre]:
        return super().get_queryset(request).annotate(space_total=Count("spaces"))

    @admin.display(description=gettext_lazy("spaces"), ordering="space_total")
    def space_total(self, obj: Centre) -> int:
        return obj.space_total  # type: ignore[attr-defined]

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="centres_centre_import_csv",
            ),
            path(
                "export-csv/",
                self.admin_site.admin_view(self.export_csv_view),
                name="centres_centre_export_csv",
            ),
        ]
        return custom + super().get_urls()

    @admin.action(description=gettext_lazy("Export selected centres as CSV"))
    def export_selected_csv(self, request: HttpRequest, queryset: QuerySet[Centre]) -> HttpResponse:
        return _csv_response(queryset)

    def export_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return redirect("admin:index")
        # Export what the change list shows, with its filters and search applied.
        changelist = self.get_changelist_instance(request)
        return _csv_response(changelist.get_queryset(request))

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            messages.error(request, _("You may not import centres."))
            return redirect("admin:centres_centre_changelist")
        form = CsvImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
            else:
                result = csv_io.import_centres_csv(io.StringIO(text), dry_run=form.cleaned_data["dry_run"])
                level = messages.SUCCESS if result.ok else messages.ERROR
                messages.add_message(request, level, result.summary())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import centres from CSV"),
            "form": form,
            "result": result,
            "columns": csv_io.COLUMNS,
            "changelist_url": reverse("admin:centres_centre_changelist"),
        }
        return TemplateResponse(request, "admin/centres/centre/import_csv.html", context)


def _csv_response(queryset: QuerySet[Centre]) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(csv_io.export_csv(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="centres-{stamp}.csv"'
    return response


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email", "contact_phone", "centre_count"]
    search_fields = ["name", "contact_name", "contact_email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Operator]:
        return super().get_queryset(request).annotate(centre_count=Count("centres"))

    @admin.display(description=gettext_lazy("centres"), ordering="centre_count")
    def centre_count(self, obj: Operator) -> int:
        return obj.centre_count  # type: ignore[attr-defined]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ur", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name_en", "name_ur"]
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "centre",
        "kind",
        "capacity",
        "in_service",
        "rate_hourly_pkr",
        "rate_daily_pkr",
        "rate_monthly_pkr",
    ]
    list_filter = ["kind", "in_service", "centre__province"]
    search_fields = ["label", "centre__name", "centre__city"]
    list_select_related = ["centre"]
    autocomplete_fields = ["centre"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role", "created_at"]
    list_filter = ["role", "centre__province"]
    search_fields = ["user__email", "user__full_name", "centre__name"]
    list_select_related = ["user", "centre"]
    autocomplete_fields = ["user", "centre"]
