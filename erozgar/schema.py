"""The OpenAPI schema's side of the error contract (the handler is in ``erozgar.api``).

Kept apart from ``erozgar.api`` because drf-spectacular reads DRF's settings on import,
and those name ``erozgar.api``'s parsers and exception handler.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular import openapi as spectacular_openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions as drf_permissions
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        help_text="Stable machine-readable reason, e.g. invalid, not_found, conflict."
    )
    detail = serializers.CharField(help_text="One sentence for people, in the request's language.")
    fields = serializers.DictField(  # type: ignore[assignment]  # a field, not DRF's .fields (the metaclass takes it)
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per refused field; nested fields are dotted (profiles.0.url).",
    )


def error_response(description: str, serializer: Any = ErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


class AutoSchema(spectacular_openapi.AutoSchema):
    """drf-spectacular's, adding each error status an operation can answer, with the Error body.

    An endpoint that declares a status itself keeps its description (and body, if it has
    one); the rest come from what the view is: every request can be refused (400, e.g. a
    NUL in the query string) or not be acceptable (406); authentication classes mean 401;
    permissions or session CSRF checks mean 403; a path parameter means 404; a body means
    415, and a write can conflict with the current state (409); a throttle means 429.
    """

    def _error_statuses(self) -> dict[str, str]:
        view = self.view
        statuses = {"400": "The request is not valid (see code and fields)."}
        authenticators = getattr(view, "authentication_classes", [])
        if authenticators:
            statuses["401"] = "Missing, wrong or expired credentials."
        permissions = getattr(view, "permission_classes", [])
        unsafe = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if any(p is not drf_permissions.AllowAny for p in permissions) or (authenticators and unsafe):
            statuses["403"] = "Not allowed for this account (or a missing CSRF token with a session)."
        if re.search(r"{\w+}", self.path):
            statuses["404"] = "No such thing, or it is someone else's."
        elif self.method == "GET" and self._is_list_view() and getattr(view, "pagination_class", None):
            statuses["404"] = "No such page of results."
        statuses["406"] = "The Accept header asks for a format the API does not give."
        if unsafe and authenticators:
            statuses["409"] = "The current state does not allow this (taken, already decided, cancelled)."
        if self.method in ("POST", "PUT", "PATCH"):
            statuses["415"] = "The body is not JSON (or multipart where files are sent)."
        if getattr(view, "throttle_classes", []):
            statuses["429"] = "Too many requests; retry after the Retry-After header's seconds."
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = dict(super()._get_response_bodies(direction))
        for status_code, description in self._error_statuses().items():
            declared = responses.get(status_code)
            if declared is None:
                responses[status_code] = self._get_response_for_code(
                    error_response(description), status_code, direction=direction
                )
            elif "content" not in declared:
                body = self._get_response_for_code(error_response(declared["description"]), status_code)
                responses[status_code] = {**declared, **body}
        return dict(sorted(responses.items()))
