"""PSEB's review desk in the Django admin. Every decision goes through freelancers.lifecycle."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erozgar.admin import ReadOnlyAdmin
from erozgar.spreadsheets import safe_cell
from freelancers import lifecycle, selectors
from freelancers.forms import ReasonForm
from freelancers.identifiers import display_mobile, mask_mobile, parse_cnic, parse_mobile
from freelancers.models import (
    Document,
    PlatformProfile,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    SkillCategory,
    mask_cnic,
)

DECISION_LABELS = {
    RegistrationStatus.APPROVED: _("Approve"),
    RegistrationStatus.CHANGES_REQUESTED: _("Request changes"),
    RegistrationStatus.REJECTED: _("Reject"),
}


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ur", "code", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    search_fields = ("name_en", "name_ur", "code")
    prepopulated_fields = {"code": ("name_en",)}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "preview", "content_type", "size", "original_name", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def preview(self, document: Document) -> str:
        url = reverse("freelancers:document", args=[document.pk])
        if document.is_image:
            return format_html(
                # Sized by .document-thumbnail in admin_extra/admin.css: the CSP drops style attributes.
                '<a href="{}" target="_blank" rel="noopener">'
                '<img src="{}" alt="{}" class="document-thumbnail"></a>',
                url,
                url,
                document.get_kind_display(),
            )
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open PDF"))


class PlatformProfileInline(ReadOnlyInline):
    model = PlatformProfile
    fields = ("platform", "link")
    readonly_fields = fields

    @admin.display(description=_("profile link"))
    def link(self, profile: PlatformProfile) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>', profile.url, profile.url
        )


class RegistrationEventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    verbose_name_plural = _("status history (who, when, why)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegistrationEvent]:
        return super().get_queryset(request).select_related("actor")


class SubmittedFilter(admin.DateFieldListFilter):
    pass


class CityFilter(admin.SimpleListFilter):
    """Cities people registered from. Django's all-values filter would run SELECT DISTINCT over the
    whole registry on every page; the list is read once per province and cached for ten minutes."""

    title = _("city")
    parameter_name = "city"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        province = request.GET.get("province__exact", "")
        return [(city, city) for city in selectors.registered_cities(province=province)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Registration]) -> QuerySet[Registration]:
        return queryset.filter(city=self.value()) if self.value() else queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "email",
        "cnic_masked",
        "status_text",
        "province",
        "city",
        "registration_number",
        "submitted_at",
    )
    list_display_links = ("full_name",)
    list_filter = ("status", "province", CityFilter, "skills", ("submitted_at", SubmittedFilter))
    list_select_related = ("user",)
    search_fields = ("full_name", "user__email", "registration_number")
    search_help_text = _("Name, email, registration number, CNIC (with or without dashes) or mobile number.")
    date_hierarchy = "submitted_at"
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) over 1.5 million rows on every page is not worth it
    inlines = [DocumentInline, PlatformProfileInline, RegistrationEventInline]
    actions = ["approve_selected", "request_changes_selected", "reject_selected", "export_selected_csv"]
    change_form_template = "freelancers/admin/registration_change_form.html"
    change_list_template = "freelancers/admin/registration_change_list.html"
    fieldsets = (
        (
            _("Review"),
            {
                "fields": (
                    "status",
                    "decision_reason",
                    "submitted_at",
                    "decided_at",
                    "registration_number",
                    "approved_at",
                    "valid_until",
                )
            },
        ),
        (
            _("Identity"),
            {
                "fields": (
                    "user",
                    "full_name",
                    "guardian_name",
                    "date_of_birth",
                    "gender",
                    "cnic",
                    "mobile_display",
                    "city",
                    "province",
                    "address",
                )
            },
        ),
        (_("Work"), {"fields": ("skill_list", "years_of_experience", "ntn", "declaration_accepted_at")}),
    )

    # The data is the freelancer's own: PSEB reads and decides, it does not edit or delete.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(f) for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions go through the review buttons, never through editing the form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return lifecycle.is_reviewer(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj: Registration) -> str:
        return obj.user.email

    @admin.display(description=_("CNIC"))
    def cnic_masked(self, obj: Registration) -> str:
        return mask_cnic(obj.cnic) or "—"

    @admin.display(description=_("status"), ordering="status")
    def status_text(self, obj: Registration) -> str:
        return str(obj.get_status_display())

    @admin.display(description=_("mobile number"))
    def mobile_display(self, obj: Registration) -> str:
        return display_mobile(obj.mobile)

    @admin.display(description=_("skill categories"))
    def skill_list(self, obj: Registration) -> str:
        return ", ".join(skill.name for skill in obj.skills.all())

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Registration], search_term: str
    ) -> tuple[QuerySet[Registration], bool]:
        # A CNIC or a mobile number is an exact match on its blind index (they are stored encrypted,
        # so never searched in part); only other text uses the slow LIKE search.
        cnic = parse_cnic(search_term)
        if cnic is not None:
            return queryset.filter(selectors.identifier_match("cnic", cnic)), False
        mobile = parse_mobile(search_term)
        if mobile is not None:
            return queryset.filter(selectors.identifier_match("mobile", mobile)), False
        return super().get_search_results(request, queryset, search_term)

    # --- decisions --------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:object_id>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="freelancers_registration_decide",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="freelancers_registration_export",
            ),
        ]
        return own + super().get_urls()

    def decide_view(self, request: HttpRequest, object_id: int, decision: str) -> HttpResponse:
        if not self.has_review_permission(request) or decision not in DECISION_LABELS:
            raise PermissionDenied
        registration = get_object_or_404(Registration.objects.select_related("user"), pk=object_id)
        return self._decide(request, [registration], RegistrationStatus(decision), single=True)

    def _decide(
        self,
        request: HttpRequest,
        registrations: list[Registration],
        decision: RegistrationStatus,
        *,
        single: bool,
    ) -> HttpResponse:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            if decision in lifecycle.REASON_REQUIRED and not reason:
                form.add_error("reason", _("Please give a reason; the freelancer will read it."))
            else:
                result = lifecycle.registrations_decide(
                    registrations=registrations, decision=decision, actor=request.user, reason=reason
                )
                if result.done:
                    self.message_user(
                        request,
                        _("%(action)s: %(count)d registration(s).")
                        % {"action": DECISION_LABELS[decision], "count": len(result.done)},
                        messages.SUCCESS,
                    )
                for registration, problem in result.refused:
                    self.message_user(request, f"{registration}: {problem}", messages.ERROR)
                if single:
                    return HttpResponseRedirect(
                        reverse("admin:freelancers_registration_change", args=[registrations[0].pk])
                    )
                return HttpResponseRedirect(request.get_full_path())  # the changelist, filters kept
        context = {
            **self.admin_site.each_context(request),
            "title": DECISION_LABELS[decision],
            "decision": decision,
            "decision_label": DECISION_LABELS[decision],
            "reason_required": decision in lifecycle.REASON_REQUIRED,
            "registrations": registrations,
            "form": form,
            "opts": self.model._meta,
            "single": single,
            "action_name": request.POST.get("action", ""),
        }
        return TemplateResponse(request, "freelancers/admin/decide.html", context)

    def _bulk(
        self, request: HttpRequest, queryset: QuerySet[Registration], decision: RegistrationStatus
    ) -> Any:
        return self._decide(request, list(queryset.select_related("user")), decision, single=False)

    @admin.action(description=_("Approve selected registrations"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> Any:
        return self._bulk(request, queryset, RegistrationStatus.APPROVED)

    @admin.action(description=_("Request changes to selected registrations"), permissions=["review"])
    def request_changes_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> Any:
        return self._bulk(request, queryset, RegistrationStatus.CHANGES_REQUESTED)

    @admin.action(description=_("Reject selected registrations"), permissions=["review"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Registration]) -> Any:
        return self._bulk(request, queryset, RegistrationStatus.REJECTED)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra = dict(extra_context or {})
        registration = Registration.objects.filter(pk=object_id).first()
        if registration is not None and self.has_review_permission(request):
            extra["decisions"] = [
                (status, DECISION_LABELS[RegistrationStatus(status)])
                for status in lifecycle.allowed_transitions(registration)
                if status in DECISION_LABELS
            ]
        return super().change_view(request, object_id, form_url, extra)

    # --- export -----------------------------------------------------------------------

    EXPORT_HEADER = (
        "registration_number",
        "status",
        "full_name",
        "email",
        "cnic_masked",
        "mobile_masked",
        "city",
        "province",
        "skills",
        "years_of_experience",
        "submitted_at",
        "approved_at",
        "valid_until",
    )

    def _export_rows(self, queryset: QuerySet[Registration]) -> Iterator[list[Any]]:
        rows = (
            queryset.order_by("pk")
            .annotate(skill_names=StringAgg("skills__name_en", delimiter="; ", distinct=True, default=""))
            .values_list(
                "registration_number",
                "status",
                "full_name",
                "user__email",
                "cnic",
                "mobile",
                "city",
                "province",
                "skill_names",
                "years_of_experience",
                "submitted_at",
                "approved_at",
                "valid_until",
            )
        )
        yield list(self.EXPORT_HEADER)
        for row in rows.iterator(chunk_size=2000):
            values = list(row)
            # CSV files travel (email, laptops): identifiers leave the admin masked, never whole.
            values[4] = mask_cnic(values[4])
            values[5] = mask_mobile(values[5])
            yield [safe_cell(value) for value in values]

    def export_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The changelist as it is filtered and searched right now, as CSV (streamed)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist: ChangeList = self.get_changelist_instance(request)
        return self._csv_response(changelist.get_queryset(request))

    @admin.action(description=_("Export selected registrations to CSV"), permissions=["view"])
    def export_selected_csv(
        self, request: HttpRequest, queryset: QuerySet[Registration]
    ) -> StreamingHttpResponse:
        return self._csv_response(queryset)

    def _csv_response(self, queryset: QuerySet[Registration]) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in self._export_rows(queryset)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="pseb-registrations-{stamp}.csv"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.register(RegistrationEvent)
class RegistrationEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "registration", "from_status", "to_status", "actor", "reason")
    list_filter = ("to_status", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("registration", "actor")
    search_fields = ("registration__full_name", "registration__registration_number", "actor__email")
    readonly_fields = ("registration", "from_status", "to_status", "actor", "reason", "created_at")
