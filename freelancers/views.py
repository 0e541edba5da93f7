"""The freelancer's registration pages, private documents, the certificate and public verification."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from erozgar.errors import DomainError
from erozgar.forms import apply_domain_error
from erozgar.ratelimit import rate_limited
from freelancers import lifecycle, selectors, services
from freelancers.certificate import certificate_pdf, qr_svg_data_uri, verification_url
from freelancers.forms import DeclarationForm, DocumentsForm, IdentityForm, ProfileFormSet, WorkForm
from freelancers.identifiers import display_mobile
from freelancers.models import Document, DocumentKind, Registration, RegistrationStatus
from freelancers.uploads import TOO_LARGE, SizeCappedUploadHandler

# Registration numbers are PSEB-FL-<year>-<six digits>; a search is only sent on when it could be one.
REGISTRATION_NUMBER_CHARS = re.compile(r"[A-Z0-9-]+")

STEPS = [
    ("identity", gettext_lazy("Identity")),
    ("work", gettext_lazy("Work")),
    ("documents", gettext_lazy("Documents")),
    ("declaration", gettext_lazy("Declaration")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_URLS = {
    "identity": "freelancers:identity",
    "work": "freelancers:work",
    "documents": "freelancers:documents",
    "declaration": "freelancers:declaration",
    "review": "freelancers:review",
}


def _next_step(step: str) -> str:
    names = [name for name, _label in STEPS]
    return STEP_URLS[names[min(names.index(step) + 1, len(names) - 1)]]


def _context(registration: Registration, step: str, **extra: Any) -> dict[str, Any]:
    problems = extra.get("problems")
    if problems is None:
        problems = selectors.completeness_problems(registration) if registration.is_editable else {}
    unfinished = selectors.unfinished_steps(problems)
    return {
        "registration": registration,
        # (name, label, url, finished): the step bar marks a finished step with a tick and in words.
        "steps": [
            (name, label, reverse(STEP_URLS[name]), name != "review" and name not in unfinished)
            for name, label in STEPS
        ],
        "step": step,
        # "Before you can submit": each point links to the step where it is fixed.
        "problem_links": [
            (message, reverse(STEP_URLS[selectors.PROBLEM_STEPS.get(field, "identity")]))
            for field, field_messages in problems.items()
            for message in field_messages
        ],
        **extra,
    }


def _entered(data: dict[str, Any]) -> bool:
    """Whether anything was typed or chosen on a step (an empty step is not "Saved")."""
    return any(value not in (None, "", [], ()) for value in data.values())


def _registration(request: HttpRequest) -> Registration | None:
    """The user's registration; a POST to a step starts the draft, a GET never creates anything."""
    if request.method == "POST":
        return services.registration_start(user=request.user)
    return selectors.registration_for_user(request.user)


def _editable_or_redirect(request: HttpRequest, registration: Registration) -> HttpResponse | None:
    if registration.is_editable:
        return None
    messages.info(
        request, _("Your registration is being reviewed or has been decided, so it cannot be changed now.")
    )
    return redirect("freelancers:dashboard")


def _save_step(
    request: HttpRequest,
    registration: Registration,
    step: str,
    save: Callable[[dict[str, Any]], Any],
    form: forms.Form,
    *,
    empty_is_nothing: bool = True,
) -> HttpResponse | None:
    if empty_is_nothing and not _entered(form.cleaned_data):
        messages.info(request, _("Nothing was entered on this step, so there was nothing to save."))
        return redirect(STEP_URLS[step] if "save_draft" in request.POST else _next_step(step))
    try:
        save(form.cleaned_data)
    except DomainError as error:
        apply_domain_error(form, error)
        # One wrong field must not throw the step away: what is right goes into the draft.
        _keep(request, save, {k: v for k, v in form.cleaned_data.items() if k not in error.fields})
        return None
    if "save_draft" in request.POST:
        messages.success(request, _("Your draft is saved."))
        return redirect(STEP_URLS[step])
    messages.success(request, _("Saved. Continue with the next step."))
    return redirect(_next_step(step))


@login_required
@never_cache
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    registration = selectors.registration_for_user(request.user)
    context: dict[str, Any] = {"registration": registration, "steps": []}
    if registration is not None:
        context.update(
            problems=selectors.completeness_problems(registration) if registration.is_editable else {},
            events=registration.events.select_related("actor").order_by("-created_at")[:10],
            standing=selectors.registration_standing(request.user),
            verify_url=verification_url(str(registration.registration_number))
            if registration.registration_number
            else "",
        )
    return render(request, "freelancers/dashboard.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    services.registration_start(user=request.user)
    return redirect("freelancers:identity")


def _keep(request: HttpRequest, save: Callable[[dict[str, Any]], Any], data: dict[str, Any]) -> None:
    """Save the fields of a refused step that were right (the wrong ones stay marked on the form)."""
    valid = {field: value for field, value in data.items() if value not in (None, "")}
    if not valid:
        return
    try:
        save(valid)
    except DomainError:
        return  # the form's own errors already say what to fix
    messages.info(request, _("What you entered correctly is saved. Fix the fields marked below."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    if registration is None:
        return redirect("freelancers:dashboard")
    if (response := _editable_or_redirect(request, registration)) is not None:
        return response
    initial = {
        field: getattr(registration, field) for field in IdentityForm.base_fields if field != "mobile"
    } | {"mobile": display_mobile(registration.mobile)}
    form = IdentityForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return services.registration_update_identity(registration=registration, actor=request.user, data=data)

    if request.method == "POST" and not form.is_valid():
        _keep(request, save, {k: v for k, v in form.cleaned_data.items() if k not in form.errors})
    if request.method == "POST" and form.is_valid():
        response = _save_step(request, registration, "identity", save, form)
        if response is not None:
            return response
    return render(request, "freelancers/step_identity.html", _context(registration, "identity", form=form))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def work(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    if registration is None:
        return redirect("freelancers:dashboard")
    if (response := _editable_or_redirect(request, registration)) is not None:
        return response
    form = WorkForm(
        request.POST or None,
        initial={
            "skills": [skill.code for skill in registration.skills.all()],
            "years_of_experience": registration.years_of_experience,
            "ntn": registration.ntn,
        },
    )
    profiles = ProfileFormSet(
        request.POST or None,
        prefix="profiles",
        initial=[{"platform": p.platform, "url": p.url} for p in registration.profiles.all()],
    )
    if request.method == "POST" and form.is_valid() and profiles.is_valid():
        links = [link for f in profiles.forms if (link := f.link()) is not None]
        data = {
            "skills": [skill.code for skill in form.cleaned_data["skills"]],
            "years_of_experience": form.cleaned_data["years_of_experience"],
            "ntn": form.cleaned_data["ntn"],
            "profiles": links,
        }
        if not _entered(data):
            messages.info(request, _("Nothing was entered on this step, so there was nothing to save."))
            return redirect("freelancers:work" if "save_draft" in request.POST else "freelancers:documents")
        try:
            services.registration_update_work(registration=registration, actor=request.user, data=data)
        except DomainError as error:
            apply_domain_error(form, error, leave=["profiles"])
            filled = [f for f in profiles.forms if f.link() is not None]
            for key, field_messages in error.fields.items():
                if key.startswith("profiles."):
                    index = int(key.split(".")[1])
                    for message in field_messages:
                        filled[index].add_error("url", message)
                elif key == "profiles":
                    for message in field_messages:
                        form.add_error(None, message)
        else:
            if "save_draft" in request.POST:
                messages.success(request, _("Your draft is saved."))
                return redirect("freelancers:work")
            messages.success(request, _("Saved. Continue with the next step."))
            return redirect("freelancers:documents")
    return render(
        request, "freelancers/step_work.html", _context(registration, "work", form=form, profiles=profiles)
    )


@csrf_exempt
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    # The size cap must be in place before anything reads the body (CSRF included), hence the order.
    request.upload_handlers.insert(0, SizeCappedUploadHandler(request))
    return _documents(request)


@csrf_protect
def _documents(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    if registration is None:
        return redirect("freelancers:dashboard")
    if (response := _editable_or_redirect(request, registration)) is not None:
        return response
    form = DocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = 0
        for field_name in getattr(request, "upload_too_large_fields", set()):
            if field_name in form.fields:
                form.add_error(field_name, TOO_LARGE)
        for kind in DocumentKind.values:
            upload = form.cleaned_data.get(kind)
            if not upload:
                continue
            try:
                services.document_add(registration=registration, actor=request.user, kind=kind, upload=upload)
                saved += 1
            except DomainError as error:
                for message in error.fields.get("file", [error.message]):
                    form.add_error(kind, message)
        if not form.errors:
            if saved:
                messages.success(request, _("Your documents are saved."))
            refreshed = selectors.registration_for_user(request.user) or registration
            if "save_draft" in request.POST or selectors.missing_documents(refreshed):
                return redirect("freelancers:documents")
            return redirect("freelancers:declaration")
    registration = selectors.registration_for_user(request.user) or registration
    return render(
        request,
        "freelancers/step_documents.html",
        _context(
            registration,
            "documents",
            form=form,
            missing=[DocumentKind(kind).label for kind in selectors.missing_documents(registration)],
        ),
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for_user(request.user)
    if registration is None:
        raise Http404
    try:
        services.document_remove(registration=registration, actor=request.user, document_id=pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The document was removed."))
    return redirect("freelancers:documents")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    if registration is None:
        return redirect("freelancers:dashboard")
    if (response := _editable_or_redirect(request, registration)) is not None:
        return response
    form = DeclarationForm(
        request.POST or None, initial={"accept": registration.declaration_accepted_at is not None}
    )
    if request.method == "POST" and form.is_valid():
        response = _save_step(
            request,
            registration,
            "declaration",
            lambda data: services.registration_set_declaration(
                registration=registration, actor=request.user, accepted=form.cleaned_data["accept"]
            ),
            form,
            empty_is_nothing=False,  # leaving the box unticked is an answer too
        )
        if response is not None:
            return response
    return render(
        request, "freelancers/step_declaration.html", _context(registration, "declaration", form=form)
    )


@login_required
@never_cache
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    registration = selectors.registration_for_user(request.user)
    if registration is None:
        return redirect("freelancers:dashboard")
    return render(
        request,
        "freelancers/step_review.html",
        _context(
            registration,
            "review",
            problems=selectors.completeness_problems(registration) if registration.is_editable else {},
            mobile=display_mobile(registration.mobile),
        ),
    )


@login_required
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    registration = selectors.registration_for_user(request.user)
    if registration is None:
        return redirect("freelancers:dashboard")
    try:
        lifecycle.registration_submit(registration=registration, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("freelancers:review")
    messages.success(request, _("Your registration was submitted. PSEB will review it and email you."))
    return redirect("freelancers:dashboard")


@never_cache
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Stream a private document to its owner or to PSEB staff allowed to view documents; nobody else."""
    if not request.user.is_authenticated:
        return render(request, "freelancers/document_denied.html", status=403)
    found = Document.objects.select_related("registration").filter(pk=pk).first()
    allowed = found is not None and (
        found.registration.user_id == request.user.pk
        or (request.user.is_staff and request.user.has_perm("freelancers.view_document"))
    )
    if found is None or not allowed:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment="download" in request.GET,
        filename=f"{found.kind}{found.file.name[-4:] if found.file.name else ''}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _approved_registration(request: HttpRequest) -> Registration:
    registration = selectors.registration_for_user(request.user)
    if (
        registration is None
        or not registration.registration_number
        or registration.status != RegistrationStatus.APPROVED
    ):
        raise Http404
    return registration


@login_required
@never_cache
@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    registration = _approved_registration(request)
    url = verification_url(str(registration.registration_number))
    return render(
        request,
        "freelancers/certificate.html",
        {"registration": registration, "verify_url": url, "qr": qr_svg_data_uri(url)},
    )


@login_required
@never_cache
@require_GET
def certificate_download(request: HttpRequest) -> HttpResponse:
    registration = _approved_registration(request)
    response = HttpResponse(certificate_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{registration.registration_number}.pdf"'
    return response


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("number") or "").strip().upper()[:24]
    if not number:
        return render(request, "freelancers/verify.html", {"searched": False})
    if not REGISTRATION_NUMBER_CHARS.fullmatch(number):
        # No number has such characters, and "/" could not even be put in the page's address.
        return render(request, "freelancers/verify.html", {"searched": True, "number": number}, status=404)
    return redirect("freelancers:verify", number=number)


@require_GET
@rate_limited("verify_registration")
def verify(request: HttpRequest, number: str) -> HttpResponse:
    result = selectors.verify_registration(number)
    return render(
        request,
        "freelancers/verify.html",
        {"searched": True, "number": number[:24], "result": result},
        status=200 if result else 404,
    )
