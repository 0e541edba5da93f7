"""Booking pages: the availability grid, review and confirm, my bookings, one booking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres import selectors as centre_selectors
from centres.hours import local_today
from centres.models import Centre, Space
from erozgar.errors import Conflict, DomainError
from erozgar.http import HtmxHttpRequest
from erozgar.ids import parse_id

from . import favourites, finder, rebooking, selectors, services
from .documents import booking_ics, booking_ics_filename, booking_qr_svg
from .eligibility import eligibility
from .forms import CancelForm, DayForm, FinderForm, ReviewForm
from .models import HOLDING_STATUSES, Booking, Product, Source

GRID_PAGE_SIZE = 40


def _centre(slug: str) -> Centre:
    return get_object_or_404(centre_selectors.visible_centres(), slug=slug)


@require_GET
def book(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The availability grid of a centre for one day. htmx swaps just the grid when the day changes."""
    centre = _centre(slug)
    form = DayForm(request.GET or None)
    day = form.day()
    today = local_today()
    day = max(day, today)
    day = min(day, today + timedelta(days=centre.booking_horizon_days))
    kind = form.kind_value()
    # A page of spaces at a time: 300 rows of 18 slots help nobody on a phone, and render slowly.
    spaces_page = Paginator(selectors.bookable_spaces(centre, kind or None), GRID_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "centre": centre,
        "form": form if form.is_bound else DayForm(initial={"date": day}),
        "day": day,
        "kind": kind,
        "today": today,
        "previous_day": day - timedelta(days=1) if day > today else None,
        "next_day": day + timedelta(days=1)
        if day < today + timedelta(days=centre.booking_horizon_days)
        else None,
        "availability": selectors.availability(
            centre, day, kind or None, spaces=list(spaces_page.object_list)
        )
        if centre.is_bookable
        else None,
        "spaces_page": spaces_page,
        "eligibility": eligibility(request.user),
    }
    template = "bookings/_grid.html" if request.htmx else "bookings/book.html"
    return render(request, template, context)


@require_GET
def find(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Time first: pick a day, a start (or "now") and a length; see every space free for all of it.

    Made for a phone: one tap per choice, one tap on a space goes to review and confirm.
    """
    centre = get_object_or_404(
        centre_selectors.visible_centres().prefetch_related("opening_hours", "duration_rules"), slug=slug
    )
    today = local_today()
    days = finder.finder_days(today, centre.booking_horizon_days)
    defaults = {"day": today.isoformat(), "start": finder.NOW, "length": str(finder.LENGTHS[0])}
    form = FinderForm(
        {**defaults, **request.GET.dict()},
        days=days,
        starts=finder.start_times(centre),
        lengths=finder.LENGTHS,
    )
    found = None
    if centre.is_bookable and form.is_valid():
        found = finder.free_by_kind(
            centre, form.chosen_day(), form.cleaned_data["start"], form.cleaned_data["length"]
        )
    context = {
        "centre": centre,
        "form": form,
        "found": found,
        "eligibility": eligibility(request.user),
    }
    template = "bookings/_find_results.html" if request.htmx else "bookings/find.html"
    return render(request, template, context)


def _review_context(
    request: HttpRequest, slug: str, data: Any, *, fresh: bool | None = None
) -> dict[str, Any]:
    """The space and start chosen on the grid, and what can be booked from there (each with its price).

    ``fresh`` (the default on GET, and after "Just taken") offers only what is free now, in an
    unbound form; a POST without it keeps every option so a slot taken meanwhile reaches
    booking_create and comes back as a Conflict.
    """
    fresh = request.method == "GET" if fresh is None else fresh
    centre = _centre(slug)
    space_id = parse_id(data.get("space", ""))
    if space_id is None:
        raise Http404
    space = get_object_or_404(Space.objects.select_related("centre"), pk=space_id, centre=centre)
    standing = eligibility(request.user)
    probe = ReviewForm(data)
    probe.is_valid()
    start = probe.cleaned_data.get("start")
    options = (
        selectors.booking_options(space, start, may_book_monthly=standing.may_book_monthly, only_free=fresh)
        if start
        else []
    )
    form = ReviewForm(None if fresh else data, options=options, initial={"option": data.get("option")})
    chosen = next((o for o in options if o.key == data.get("option")), options[0] if options else None)
    day_pass = next((o for o in options if o.product == Product.DAY_PASS), None)
    return {
        "chosen": chosen,
        # Offered beside the hours chosen when it costs less (price guidance).
        "cheaper_day_pass": day_pass
        if chosen and day_pass and chosen.product == Product.HOURLY and day_pass.price_pkr < chosen.price_pkr
        else None,
        "centre": centre,
        "space": space,
        "start": start,
        "form": form,
        "options": options,
        "eligibility": standing,
    }


@require_http_methods(["GET", "POST"])
def review(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Review the chosen slot with its price, then confirm. Anyone not allowed to book is told what to do."""
    data = request.POST if request.method == "POST" else request.GET
    context = _review_context(request, slug, data)
    form: ReviewForm = context["form"]
    if request.method == "POST" and context["eligibility"].may_book and form.is_valid():
        option = form.chosen()
        try:
            booking = services.booking_create(
                user=request.user,
                space=context["space"],
                starts_at=option.starts_at,
                ends_at=option.ends_at,
                product=option.product,
                source=Source.ONLINE,
            )
        except Conflict as exc:
            # Offer again only what is still free: the lengths just taken are gone from the list.
            context = {**_review_context(request, slug, data, fresh=True), "conflict": exc}
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Booked. Your reference is %(ref)s.") % {"ref": booking.reference})
            return redirect("bookings:detail", reference=booking.reference)
    if request.htmx and request.method == "GET":
        return render(request, "bookings/_review_summary.html", context)
    status = 409 if "conflict" in context else 200
    return render(request, "bookings/review.html", context, status=status)


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    upcoming = list(selectors.bookings_for_user(request.user, upcoming=True))
    past = list(selectors.bookings_for_user(request.user, upcoming=False)[:50])
    rebooking.attach(upcoming + past, rebooking.book_again(upcoming + past))
    kept = list(favourites.favourites_for_user(request.user))
    return render(
        request,
        "bookings/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "favourites": kept,
            "favourite_ids": {f.space_id for f in kept},
        },
    )


@login_required
@require_POST
def favourite(request: HttpRequest) -> HttpResponse:
    """Add a space to (or, with action=remove, take it from) the person's own favourites."""
    space_id = parse_id(request.POST.get("space", ""))
    if space_id is None:
        raise Http404
    if request.POST.get("action") == "remove":
        if favourites.favourite_remove(user=request.user, space_id=space_id):
            messages.success(request, _("Removed from your favourite spaces."))
        return redirect("bookings:list")
    space = get_object_or_404(
        Space.objects.select_related("centre").filter(
            in_service=True, centre__in=centre_selectors.visible_centres()
        ),
        pk=space_id,
    )
    try:
        favourites.favourite_add(user=request.user, space=space)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(space)s at %(centre)s is now among your favourite spaces.")
            % {"space": space.label, "centre": space.centre.name},
        )
    return redirect("bookings:list")


def _own(request: HttpRequest, reference: str) -> Booking:
    booking = selectors.booking_for_user(request.user, reference)
    if booking is None:
        raise Http404
    return booking


@login_required
@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own(request, reference)
    # Only a booking that still holds its space has a code to show and a calendar entry to add.
    is_live = booking.status in HOLDING_STATUSES
    return render(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "is_live": is_live,
            "qr_svg": booking_qr_svg(booking) if is_live else "",
            "can_cancel": services.can_transition(booking, "cancelled"),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_GET
def calendar_file(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own(request, reference)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking_ics_filename(booking)}"'
    return response


@login_required
@require_POST
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _own(request, reference)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.booking_cancel(booking=booking, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Booking %(ref)s is cancelled.") % {"ref": booking.reference})
    if request.POST.get("next") == "list":
        return redirect("bookings:list")
    return redirect("bookings:detail", reference=booking.reference)
