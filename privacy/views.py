"""The account's "Your data" page: download everything, or delete the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from erozgar.errors import DomainError

from .erasure import erasure_blockers, person_erase
from .export import personal_data_export
from .forms import DeleteAccountForm, PasswordConfirmForm


def _page(
    request: HttpRequest, *, export_form: PasswordConfirmForm, delete_form: DeleteAccountForm
) -> HttpResponse:
    status = 400 if export_form.errors or delete_form.errors else 200
    return render(
        request,
        "privacy/data.html",
        {
            "export_form": export_form,
            "delete_form": delete_form,
            "blockers": erasure_blockers(user=request.user),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def data_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        export_form=PasswordConfirmForm(user=request.user, prefix="export"),
        delete_form=DeleteAccountForm(user=request.user, prefix="delete"),
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST, user=request.user, prefix="export")
    if not form.is_valid():
        return _page(
            request, export_form=form, delete_form=DeleteAccountForm(user=request.user, prefix="delete")
        )
    content = personal_data_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"erozgar-my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user, prefix="delete")
    export_form = PasswordConfirmForm(user=request.user, prefix="export")
    if not form.is_valid():
        return _page(request, export_form=export_form, delete_form=form)
    try:
        person_erase(user=request.user)  # type: ignore[arg-type]  # signed in: login_required
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return _page(request, export_form=export_form, delete_form=form)
    logout(request)
    messages.success(request, _("Your account and your registration data have been deleted."))
    return redirect("home")
