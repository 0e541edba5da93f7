"""Occupancy pages: PSEB's national rollup (served inside the admin) and a manager's own centre.

Thin: they validate filters, call the selectors and hand plain rows to the templates. The
chart is an inline SVG drawn on the server; the table next to it is its text alternative.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from centres import selectors as centre_selectors
from centres.hours import local_today
from centres.models import Centre
from erozgar.spreadsheets import safe_cell

from . import selectors, services
from .chart import bar_chart
from .forms import GROUP_CHOICES, OccupancyFilterForm, RecomputeForm

VIEW_PERMISSION = "bookings.view_occupancyhour"
MANAGER_DAYS = 14


def _may_read_all(user: Any) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION))


# --- PSEB, inside the admin --------------------------------------------------------------


def _filtered_rows(request: HttpRequest) -> tuple[OccupancyFilterForm, list[selectors.OccupancyRow]]:
    form = OccupancyFilterForm.from_query(request.GET)
    if not form.is_valid():
        return form, []
    rows = selectors.occupancy_summary(group_by=form.cleaned_data["group_by"], **form.filters())
    return form, rows


def admin_summary(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    if not _may_read_all(request.user):
        raise PermissionDenied
    form, rows = _filtered_rows(request)
    group_label = dict(GROUP_CHOICES).get(form.data.get("group_by", ""), "")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Occupancy"),
        "form": form,
        "rows": rows,
        "total": selectors.occupancy_total(rows),
        "chart": bar_chart(rows),
        "group_label": group_label,
        "query": request.GET.urlencode(),
        "last_computed_at": selectors.last_computed_at(since=form.cleaned_data["start"])
        if form.is_valid()
        else None,
        "recompute_form": RecomputeForm(initial=form.cleaned_data if form.is_valid() else {}),
    }
    return TemplateResponse(request, "bookings/occupancy/admin_summary.html", context)


def admin_summary_csv(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    if not _may_read_all(request.user):
        raise PermissionDenied
    form, rows = _filtered_rows(request)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = form.cleaned_data
    filename = f"occupancy-{data['group_by']}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            data["group_by"],
            "label",
            "bookable_hours",
            "booked_hours",
            "checked_in_hours",
            "booked_percent",
            "checked_in_percent",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(row.key),
                safe_cell(row.label),
                row.bookable_hours,
                row.booked_hours,
                row.checked_in_hours,
                row.booked_percent,
                row.checked_in_percent,
            ]
        )
    return response


@require_POST
def admin_recompute(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    if not _may_read_all(request.user):
        raise PermissionDenied
    form = RecomputeForm(request.POST)
    back = reverse("admin:bookings_occupancyhour_summary")
    if form.is_valid():
        days = form.days()
        services.occupancy_recompute_later(days=days)
        messages.success(
            request,
            ngettext(
                "Recomputing occupancy for %(count)d day. "
                "Reload this page in a minute to see the new figures.",
                "Recomputing occupancy for %(count)d days. "
                "Reload this page in a minute to see the new figures.",
                len(days),
            )
            % {"count": len(days)},
        )
        back += "?" + urlencode({"start": days[0].isoformat(), "end": days[-1].isoformat()})
    else:
        for error in form.errors.get("__all__", []) or [_("Choose a valid start and end date.")]:
            messages.error(request, str(error))
    return redirect(back)


# --- a centre manager's own centre -------------------------------------------------------


@login_required
@require_GET
def centre_occupancy(request: HttpRequest, slug: str) -> HttpResponse:
    """The last 14 days by day and today by hour, for the centre's manager (or PSEB)."""
    centre = get_object_or_404(Centre.objects.only("id", "name", "slug", "city"), slug=slug)
    if not (centre_selectors.is_manager_of(request.user, centre) or _may_read_all(request.user)):
        raise PermissionDenied
    today = local_today()
    start = today - timedelta(days=MANAGER_DAYS - 1)
    days = selectors.occupancy_summary(start=start, end=today, group_by="day", centre_id=centre.pk)
    hours = selectors.occupancy_summary(start=today, end=today, group_by="hour", centre_id=centre.pk)
    kinds = selectors.occupancy_summary(start=start, end=today, group_by="kind", centre_id=centre.pk)
    context = {
        "centre": centre,
        "today": today,
        "start": start,
        "days": days,
        "days_total": selectors.occupancy_total(days),
        "days_chart": bar_chart(days),
        "hours": hours,
        "hours_total": selectors.occupancy_total(hours),
        "hours_chart": bar_chart(hours),
        "kinds": kinds,
        "last_computed_at": selectors.last_computed_at(since=start, centre_id=centre.pk),
    }
    return render(request, "bookings/occupancy/centre.html", context)
