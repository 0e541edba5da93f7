"""The desk pages. Thin: each resolves the centre for this staff member and calls a selector or service.

Anyone who is not a manager or desk clerk of the centre gets 403 (404 for an unknown
centre); anonymous visitors are sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from bookings import selectors as booking_selectors
from bookings.rules import time_label
from centres import selectors as centre_selectors
from centres.models import Centre, StaffRole
from erozgar.errors import DomainError
from erozgar.forms import apply_domain_error
from erozgar.http import HtmxHttpRequest
from erozgar.money import rupees
from freelancers.identifiers import parse_cnic, parse_mobile

from . import payments, scans, selectors, walk_ins
from .forms import (
    LookupForm,
    PaymentForm,
    ScanForm,
    SearchForm,
    WalkInBookForm,
    WalkInFindForm,
    WalkInKindForm,
)

ViewFunc = Callable[..., HttpResponse]
NOBODY_REGISTERED = gettext_lazy(
    "Nobody is registered with that CNIC or mobile number. Ask the person to register first."
)


def desk_view(*, manager_only: bool = False) -> Callable[[ViewFunc], ViewFunc]:
    """Resolve ``slug`` to the centre and the user's role there, or refuse (403/404)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            centre, role = selectors.staff_centre(request.user, slug)
            if centre is None:
                raise Http404
            if role is None or (manager_only and role != StaffRole.MANAGER):
                raise PermissionDenied
            request.desk_role = role  # type: ignore[attr-defined]
            return view(request, centre, *args, **kwargs)

        return wrapped

    return decorator


def _list_context(centre: Centre, search: str) -> dict[str, Any]:
    now = timezone.now()
    bookings = list(selectors.todays_bookings(centre, search=search))
    for booking in bookings:
        booking.money = selectors.money(booking)  # type: ignore[attr-defined]
        booking.late = selectors.is_late(booking, now=now)  # type: ignore[attr-defined]
    return {"centre": centre, "bookings": bookings, "search": search, "now": now}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The centres this person works at; straight to the desk when there is only one."""
    centres = list(centre_selectors.centres_staffed_by(request.user))
    if len(centres) == 1:
        return redirect("desk:home", slug=centres[0].slug)
    return render(request, "desk/index.html", {"centres": centres})


@desk_view()
@require_GET
def home(request: HttpRequest, centre: Centre) -> HttpResponse:
    search_form = SearchForm(request.GET or None)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    context = {
        **_list_context(centre, search),
        "counts": selectors.desk_counts(centre),
        "scan_form": ScanForm(),
        "lookup_form": LookupForm(),
        "walk_in_form": WalkInFindForm(),
        "search_form": search_form if search_form.is_bound else SearchForm(),
        "is_manager": request.desk_role == StaffRole.MANAGER,  # type: ignore[attr-defined]
    }
    return render(request, "desk/home.html", context)


@desk_view()
@require_GET
def booking_list(request: HttpRequest, centre: Centre) -> HttpResponse:
    search_form = SearchForm(request.GET or None)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    return render(request, "desk/_list.html", _list_context(centre, search))


@desk_view()
@require_GET
def counts(request: HttpRequest, centre: Centre) -> HttpResponse:
    return render(request, "desk/_counts.html", {"centre": centre, "counts": selectors.desk_counts(centre)})


def _scan_answer(
    request: HtmxHttpRequest,
    centre: Centre,
    *,
    ok: bool,
    message: str,
    booking: Any = None,
    due_pkr: int = 0,
) -> HttpResponse:
    if request.htmx:
        response = render(
            request,
            "desk/_scan_result.html",
            {"ok": ok, "message": message, "booking": booking, "centre": centre, "due_pkr": due_pkr},
        )
        response["HX-Trigger"] = "deskChanged"  # the counts and today's list reload
        return response
    if ok and due_pkr and booking is not None:
        messages.warning(request, message)
        return redirect("desk:pay", slug=centre.slug, reference=booking.reference)
    (messages.success if ok else messages.error)(request, message)
    return redirect("desk:home", slug=centre.slug)


@desk_view()
@require_POST
def check_in(request: HtmxHttpRequest, centre: Centre) -> HttpResponse:
    form = ScanForm(request.POST)
    if not form.is_valid():
        return _scan_answer(request, centre, ok=False, message=str(form.errors["reference"][0]))
    text = form.cleaned_data["reference"]
    if selectors.normalise_reference(text) is None and (parse_cnic(text) or parse_mobile(text)):
        # A CNIC or mobile typed into the scan field: show the person's bookings instead.
        url = reverse("desk:lookup", args=[centre.slug]) + "?" + urlencode({"q": text.strip()})
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)
    return _run_scan(request, centre, scans.desk_check_in, text)


@desk_view()
@require_POST
def check_out(request: HtmxHttpRequest, centre: Centre) -> HttpResponse:
    return _run_scan(request, centre, scans.desk_check_out, request.POST.get("reference", ""))


def _run_scan(
    request: HtmxHttpRequest, centre: Centre, service: Callable[..., Any], reference: str
) -> HttpResponse:
    try:
        result = service(centre=centre, actor=request.user, reference=reference)
    except DomainError as exc:
        return _scan_answer(request, centre, ok=False, message=str(exc.message))
    return _scan_answer(
        request, centre, ok=True, message=result.message, booking=result.booking, due_pkr=result.due_pkr
    )


@desk_view()
@require_GET
def lookup(request: HttpRequest, centre: Centre) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict[str, Any] = {"centre": centre, "form": form, "searched": False}
    if form.is_valid():
        text = form.cleaned_data["q"]
        reference = selectors.normalise_reference(text)
        context["searched"] = True
        if reference is not None and not (parse_cnic(text) or parse_mobile(text)):
            booking = selectors.booking_at_centre(centre, reference)
            if booking is not None:
                return redirect("desk:booking", slug=centre.slug, reference=booking.reference)
            context["not_found"] = True
        else:
            try:
                found = scans.desk_lookup(centre=centre, actor=request.user, text=text)
            except DomainError as exc:
                form.add_error("q", str(exc.message))
                context["searched"] = False
                return render(request, "desk/lookup.html", context, status=exc.http_status)
            context["found"] = found
            context["walk_in_url"] = (
                reverse("desk:walk_in", args=[centre.slug]) + "?" + urlencode({"person": text.strip()})
            )
    return render(request, "desk/lookup.html", context)


@desk_view()
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest, centre: Centre) -> HttpResponse:
    now = timezone.now()
    find_form = WalkInFindForm(request.GET if "person" in request.GET else None)
    person_query = ""
    if request.method == "POST":
        book_form = WalkInBookForm(request.POST)
        if book_form.is_valid():
            person_query = book_form.cleaned_data["person"]
            try:
                booking = walk_ins.walk_in_create(
                    centre=centre,
                    actor=request.user,
                    person_query=person_query,
                    space_id=book_form.cleaned_data["space"],
                    until=book_form.cleaned_data["until"],
                    now=now,
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(name)s is booked and checked in: %(space)s until %(end)s, reference %(ref)s.")
                    % {
                        "name": selectors.person_name(booking),
                        "space": booking.space.label,
                        "end": time_label(booking.ends_at),
                        "ref": booking.reference,
                    },
                )
                return redirect("desk:booking", slug=centre.slug, reference=booking.reference)
        else:
            messages.error(request, str(book_form.errors.as_text()))
            person_query = request.POST.get("person", "")
        find_form = WalkInFindForm({"person": person_query})
    elif find_form.is_valid():
        person_query = find_form.cleaned_data["person"]
    found = None
    options: list[Any] = []
    kinds: list[tuple[str, str, int]] = []
    kind = ""
    kind_form = WalkInKindForm(request.POST if request.method == "POST" else request.GET)
    status = 200
    if person_query and find_form.is_valid():
        try:
            found = scans.desk_lookup(centre=centre, actor=request.user, text=person_query, now=now)
        except DomainError as exc:
            find_form.add_error("person", str(exc.message))
            status = exc.http_status
        else:
            if found is None:
                find_form.add_error("person", NOBODY_REGISTERED)
            else:
                centre = centre_selectors.centre_detail_queryset().get(pk=centre.pk)
                free = selectors.free_now(centre, now=now)
                options = selectors.walk_in_offers(centre, free, now=now)
                kinds = [(o.kind, o.label, o.free_count) for o in options]
                if kind_form.is_valid() and kind_form.cleaned_data["kind"]:
                    kind = kind_form.cleaned_data["kind"]
                    options = selectors.walk_in_offers(
                        centre, free, now=now, kind=kind, space_id=kind_form.cleaned_data["space"]
                    )
    return render(
        request,
        "desk/walk_in.html",
        {
            "centre": centre,
            "form": find_form if find_form.is_bound else WalkInFindForm(),
            "found": found,
            "person_query": person_query,
            "options": options,
            "kinds": kinds,
            "kind": kind,
            "is_open": centre_selectors.is_open_at(centre, now),
        },
        status=status,
    )


@desk_view()
@require_GET
def booking_detail(request: HttpRequest, centre: Centre, reference: str) -> HttpResponse:
    booking = selectors.booking_at_centre(centre, reference)
    if booking is None:
        raise Http404
    return render(request, "desk/booking.html", _booking_context(centre, booking))


def _booking_context(centre: Centre, booking: Any) -> dict[str, Any]:
    money = selectors.money(booking)
    return {
        "centre": centre,
        "booking": booking,
        "payment_state": money.state,
        "due_pkr": money.due_pkr,
        "payments": list(selectors.payments_for(booking)),
        "events": list(booking_selectors.booking_events(booking)),
    }


@desk_view()
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, centre: Centre, reference: str) -> HttpResponse:
    booking = selectors.booking_at_centre(centre, reference)
    if booking is None:
        raise Http404
    due = selectors.money(booking).due_pkr
    if request.method == "POST":
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                payment = payments.payment_record(
                    centre=centre,
                    actor=request.user,
                    booking=booking,
                    amount_pkr=form.cleaned_data["amount_pkr"],
                    method=form.cleaned_data["method"],
                    reference=form.cleaned_data["reference"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(amount)s received. Receipt %(receipt)s.")
                    % {"amount": rupees(payment.amount_pkr), "receipt": payment.receipt_number},
                )
                return redirect("desk:receipt", slug=centre.slug, payment_id=payment.pk)
    else:
        form = PaymentForm(initial={"amount_pkr": due or None})
    context = {**_booking_context(centre, booking), "form": form}
    return render(request, "desk/pay.html", context, status=400 if form.errors else 200)


@desk_view()
@require_GET
def receipt(request: HttpRequest, centre: Centre, payment_id: int) -> HttpResponse:
    payment = selectors.payment_at_centre(centre, payment_id)
    if payment is None:
        raise Http404
    booking = selectors.booking_at_centre(centre, payment.booking.reference)
    if booking is None:
        raise Http404
    money = selectors.money(booking)
    return render(
        request,
        "desk/receipt.html",
        {
            "centre": centre,
            "payment": payment,
            "booking": booking,
            "paid_pkr": money.paid_pkr,
            "due_pkr": money.due_pkr,
            "payment_state": money.state,
        },
    )


@desk_view(manager_only=True)
@require_GET
def log(request: HttpRequest, centre: Centre) -> HttpResponse:
    return render(
        request,
        "desk/log.html",
        {
            "centre": centre,
            "actions": list(selectors.desk_log(centre)),
            "system_events": list(selectors.system_events(centre)),
        },
    )
