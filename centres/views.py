"""Directory pages for visitors and the centre manager's edit pages.

Thin: selectors and services do the work.
"""

from __future__ import annotations

import mimetypes
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres import selectors, services
from centres.forms import (
    BookingRulesForm,
    ClosureForm,
    DirectoryFilterForm,
    RateCardForm,
    SpaceForm,
    WeeklyHoursForm,
)
from centres.hours import LOCAL_TZ, local_today
from centres.models import Centre, CentrePhoto, Space
from erozgar.errors import DomainError
from erozgar.forms import apply_domain_error

PAGE_SIZE = 20


def _facility_choices() -> list[tuple[str, str]]:
    return [(f.code, f.name) for f in selectors.all_facilities()]


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, facilities=_facility_choices())
    if form.is_bound and form.is_valid():
        filters = form.filters()
    else:
        filters = selectors.DirectoryFilters()
    page = Paginator(selectors.search_centres(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    free_today = selectors.free_today_counts([c for c in page.object_list if c.is_bookable])
    for centre in page.object_list:
        cast(Any, centre).free_today = free_today.get(centre.pk)  # None: not taking bookings
    markers = [
        {
            "name": c.name,
            "city": c.city,
            "lat": float(c.latitude),
            "lng": float(c.longitude),
            "url": reverse("centres:detail", args=[c.slug]),
        }
        for c in page.object_list
        if c.latitude is not None and c.longitude is not None
    ]
    return render(
        request,
        "centres/directory.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "markers": markers,
            "manages_centres": request.user.is_authenticated
            and selectors.centres_managed_by(request.user).exists(),
        },
    )


@require_GET
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = selectors.centre_by_slug(slug)
    if centre is None:
        raise Http404(_("No centre with that address."))
    now = timezone.now()
    today = local_today(now)
    return render(
        request,
        "centres/detail.html",
        {
            "centre": centre,
            "week": selectors.weekly_hours(centre, today=today),
            "open_now": selectors.is_open_at(centre, now),
            "closures": selectors.upcoming_closures(centre, today=today),
            "groups": selectors.spaces_by_kind(centre),
            "photos": list(centre.photos.all()),
            "is_manager": selectors.is_manager_of(request.user, centre),
            "local_now": now.astimezone(LOCAL_TZ),
        },
    )


@require_GET
def centre_photo(request: HttpRequest, slug: str, photo_id: int) -> FileResponse:
    """Centre photos are public; uploads live outside the static folders, so a view hands them out."""
    photo = get_object_or_404(CentrePhoto.objects.select_related("centre"), pk=photo_id, centre__slug=slug)
    if not photo.image:
        raise Http404
    content_type = mimetypes.guess_type(photo.image.name or "")[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- manager portal ---------------------------------------------------------------------------


def _managed_centre(request: HttpRequest, slug: str) -> Centre:
    centre = get_object_or_404(Centre, slug=slug)
    if not selectors.is_manager_of(request.user, centre):
        raise PermissionDenied(_("You do not manage this centre."))
    return centre


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    centres = selectors.centres_managed_with_space_counts(request.user)
    return render(request, "centres/manage/home.html", {"centres": centres})


@login_required
@require_http_methods(["GET", "POST"])
def manage_hours(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    rows = list(centre.opening_hours.all())
    form = WeeklyHoursForm(request.POST or None, initial_rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_set_hours(actor=request.user, centre=centre, rows=form.rows())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("centres:manage_hours", slug=centre.slug)
    return render(request, "centres/manage/hours.html", {"centre": centre, "form": form, "section": "hours"})


@login_required
@require_http_methods(["GET", "POST"])
def manage_rules(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    form = BookingRulesForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.centre_set_booking_rules(
                actor=request.user,
                centre=centre,
                booking_horizon_days=data["booking_horizon_days"],
                cancellation_cutoff_minutes=data["cancellation_cutoff_minutes"],
                checkin_grace_minutes=data["checkin_grace_minutes"],
                max_active_bookings=data["max_active_bookings"],
                durations=form.durations(),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Booking rules saved."))
            return redirect("centres:manage_rules", slug=centre.slug)
    return render(request, "centres/manage/rules.html", {"centre": centre, "form": form, "section": "rules"})


@login_required
@require_http_methods(["GET", "POST"])
def manage_closures(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_add(
                actor=request.user,
                centre=centre,
                day=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("The centre is closed on %(date)s.") % {"date": closure.date.isoformat()}
            )
            return redirect("centres:manage_closures", slug=centre.slug)
    today = local_today()
    closures = centre.closures.filter(date__gte=today).order_by("date")
    return render(
        request,
        "centres/manage/closures.html",
        {"centre": centre, "form": form, "closures": closures, "section": "closures"},
    )


@login_required
@require_POST
def manage_closure_delete(request: HttpRequest, slug: str, closure_id: int) -> HttpResponse:
    centre = _managed_centre(request, slug)
    try:
        services.closure_remove(actor=request.user, centre=centre, closure_id=closure_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Closure removed."))
    return redirect("centres:manage_closures", slug=centre.slug)


@login_required
@require_http_methods(["GET", "POST"])
def manage_spaces(request: HttpRequest, slug: str) -> HttpResponse:
    centre = _managed_centre(request, slug)
    space_form = SpaceForm(request.POST if request.POST.get("action") == "add" else None, prefix="new")
    rates_form = RateCardForm(request.POST if request.POST.get("action") == "rates" else None, prefix="rates")
    if request.method == "POST" and space_form.is_bound and space_form.is_valid():
        try:
            space = services.space_create(actor=request.user, centre=centre, **space_form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(space_form, exc)
        else:
            messages.success(request, _("Space %(label)s added.") % {"label": space.label})
            return redirect("centres:manage_spaces", slug=centre.slug)
    if request.method == "POST" and rates_form.is_bound and rates_form.is_valid():
        try:
            changed = services.spaces_set_rates(actor=request.user, centre=centre, **rates_form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(rates_form, exc)
        else:
            messages.success(request, _("Prices updated on %(count)s spaces.") % {"count": changed})
            return redirect("centres:manage_spaces", slug=centre.slug)
    spaces = Space.objects.filter(centre=centre).order_by("kind", "label")
    paginator = Paginator(spaces, 50)
    return render(
        request,
        "centres/manage/spaces.html",
        {
            "centre": centre,
            "space_form": space_form,
            "rates_form": rates_form,
            "page": paginator.get_page(request.GET.get("page")),
            "section": "spaces",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_space_edit(request: HttpRequest, slug: str, space_id: int) -> HttpResponse:
    centre = _managed_centre(request, slug)
    space = get_object_or_404(Space, pk=space_id, centre=centre)
    form = SpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.space_update(actor=request.user, space=space, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Space %(label)s saved.") % {"label": form.cleaned_data["label"]})
            return redirect("centres:manage_spaces", slug=centre.slug)
    return render(
        request,
        "centres/manage/space_edit.html",
        {"centre": centre, "space": space, "form": form, "section": "spaces"},
    )
