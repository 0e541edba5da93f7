"""Requests that would otherwise end in a 500 are refused here, where they enter.

``RefuseUnstorableInput`` answers 400 to a NUL or an unpaired surrogate anywhere a view
could pass text to PostgreSQL: the path, the query string, a urlencoded body, a header.
Multipart bodies are not read here (that would consume uploads before the views install
their size-capped upload handlers); their text fields go through form and serializer
fields, which refuse NUL themselves, and the file bytes are the user's own business.

``AdminLookupGuard`` covers what the admin lets through: an object id that is not the
model's kind of key (``/admin/freelancers/registration/abc/change/``) and filters whose
values only fail when the query runs (``?created_at__year=99999999999999999999``).
Both are answered the way the admin answers an unknown id or a wacky filter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR, ModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy

from erozgar.unstorable import MESSAGE, is_unstorable

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
FILTER_REFUSED = gettext_lazy(
    "A filter in the address has a value the list cannot use, so the whole list is shown."
)


class RefuseUnstorableInput:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self.find(request)
        if where is None:
            return self.get_response(request)
        return self.refuse(request, where)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        """Multipart form fields, read exactly when Django's CSRF check reads them anyway.

        A csrf_exempt view (DRF's, and the upload pages that install their own upload
        handlers first) parses its own body: DRF through ``erozgar.api.MultiPartParser``.
        """
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if getattr(view, "csrf_exempt", False):
            return None
        where = _in_querydict(request.POST, "body") or _in_file_names(request.FILES)
        return self.refuse(request, where) if where else None

    @staticmethod
    def refuse(request: HttpRequest, where: str) -> HttpResponse:
        logger.info("refused unstorable text in %s of %s %s", where, request.method, request.path_info[:200])
        if request.path_info.startswith(API_PREFIX):
            from erozgar.api import error_body

            return JsonResponse(error_body("invalid_characters", MESSAGE, {where: [MESSAGE]}), status=400)
        return render(request, "400.html", {"message": MESSAGE}, status=400)

    @staticmethod
    def find(request: HttpRequest) -> str | None:
        """The name of the first place holding unstorable text (never the text itself), or None."""
        if is_unstorable(request.path_info):
            return "path"
        for name, value in request.META.items():
            is_header = name.startswith("HTTP_") or name == "CONTENT_TYPE"
            if is_header and isinstance(value, str) and is_unstorable(value):
                return name.removeprefix("HTTP_").lower().replace("_", "-")
        found = _in_querydict(request.GET, "query")
        if found:
            return found
        if request.content_type == "application/x-www-form-urlencoded":
            body = (
                request.POST
                if request.method == "POST"
                else QueryDict(request.body, encoding=request.encoding)
            )
            return _in_querydict(body, "body")
        return None


def _in_file_names(files: MultiValueDict[str, Any]) -> str | None:
    for key, uploads in files.lists():
        if any(is_unstorable(str(upload.name or "")) for upload in uploads):
            return key
    return None


def _in_querydict(data: QueryDict, whole: str) -> str | None:
    for key, values in data.lists():
        if is_unstorable(key):
            return whole
        if any(is_unstorable(value) for value in values):
            return key
    return None


class AdminLookupGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        model_admin = _model_admin(view)
        if model_admin is None or "object_id" not in kwargs:
            return None
        try:
            model_admin.model._meta.pk.to_python(unquote(kwargs["object_id"]))
        except (ValidationError, ValueError, TypeError):
            # What the admin itself answers for an id that matches nothing.
            return model_admin._get_obj_does_not_exist_redirect(  # type: ignore[attr-defined]
                request, model_admin.model._meta, str(kwargs["object_id"])
            )
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A changelist filter the database could not run: back to the list with the admin's error flag."""
        match = request.resolver_match
        if match is None or not isinstance(exception, ValueError | TypeError | OverflowError | DataError):
            return None
        if _model_admin(match.func) is None or not (match.url_name or "").endswith("_changelist"):
            return None
        lookups = [key for key in request.GET if key not in (ERROR_FLAG, IS_POPUP_VAR)]
        if not lookups or ERROR_FLAG in request.GET:
            return None
        logger.info("admin filter %s refused: %s", lookups, exception)
        messages.error(request, FILTER_REFUSED)
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


def _model_admin(view: Any) -> ModelAdmin[Any] | None:
    model_admin = getattr(view, "model_admin", None)
    return model_admin if isinstance(model_admin, ModelAdmin) else None
