"""REST API for the freelancer's own registration and public verification. Thin: services do the work."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from erozgar.api import MultiPartParser
from erozgar.errors import DomainError
from erozgar.throttling import RateLimitThrottle
from freelancers import lifecycle, selectors, services
from freelancers.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    RegistrationSerializer,
    SkillSerializer,
    VerificationSerializer,
)
from freelancers.uploads import TOO_LARGE, SizeCappedUploadHandler

IDENTITY_FIELDS = (
    "full_name",
    "guardian_name",
    "date_of_birth",
    "gender",
    "cnic",
    "mobile",
    "city",
    "province",
    "address",
)
WORK_FIELDS = ("skills", "years_of_experience", "ntn")


def _mine(request: Request) -> Any:
    registration = selectors.registration_for_user(request.user)
    if registration is None:
        raise Http404
    return registration


class MyRegistrationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="My registration",
        responses={
            200: RegistrationSerializer,
            404: OpenApiResponse(description="No registration started yet"),
        },
        tags=["registration"],
    )
    def get(self, request: Request) -> Response:
        return Response(RegistrationSerializer(_mine(request)).data)

    @extend_schema(
        summary="Save my registration draft",
        description="Starts the draft on first use. Send any subset of the fields; each is checked and "
        "the draft saved. Refused (409) once submitted, until PSEB asks for changes.",
        request=RegistrationSerializer,
        responses={200: RegistrationSerializer},
        tags=["registration"],
    )
    def put(self, request: Request) -> Response:
        serializer = RegistrationSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration = services.registration_start(user=request.user)
        identity = {field: data[field] for field in IDENTITY_FIELDS if field in data}
        work = {field: data[field] for field in WORK_FIELDS if field in data}
        if "profiles" in data:
            work["profiles"] = [(p["platform"], p["url"]) for p in data["profiles"]]
        if identity:
            services.registration_update_identity(
                registration=registration, actor=request.user, data=identity
            )
        if work:
            services.registration_update_work(registration=registration, actor=request.user, data=work)
        if "declaration_accepted" in data:
            services.registration_set_declaration(
                registration=registration, actor=request.user, accepted=data["declaration_accepted"]
            )
        if not (identity or work or "declaration_accepted" in data):
            services.registration_start(user=request.user)
        return Response(RegistrationSerializer(_mine(request)).data)

    patch = put


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Submit my registration for review",
        request=None,
        responses={
            200: RegistrationSerializer,
            400: OpenApiResponse(description="Incomplete: the missing fields are listed"),
            409: OpenApiResponse(description="Not in a state that can be submitted"),
        },
        tags=["registration"],
    )
    def post(self, request: Request) -> Response:
        registration = _mine(request)
        lifecycle.registration_submit(registration=registration, actor=request.user)
        return Response(RegistrationSerializer(_mine(request)).data)


class DocumentsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        request.upload_handlers.insert(0, SizeCappedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        summary="My documents", responses={200: DocumentSerializer(many=True)}, tags=["registration"]
    )
    def get(self, request: Request) -> Response:
        return Response(DocumentSerializer(_mine(request).documents.all(), many=True).data)

    @extend_schema(
        summary="Upload a document",
        description="CNIC front/back and photo replace the previous one; up to 5 supporting documents.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        tags=["registration"],
    )
    def post(self, request: Request) -> Response:
        serializer = DocumentUploadSerializer(data=request.data)
        if "file" in getattr(request._request, "upload_too_large_fields", set()):
            raise DomainError(TOO_LARGE, fields={"file": [TOO_LARGE]})
        serializer.is_valid(raise_exception=True)
        registration = services.registration_start(user=request.user)
        document = services.document_add(
            registration=registration,
            actor=request.user,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Remove a document", responses={204: None}, tags=["registration"])
    def delete(self, request: Request, pk: int) -> Response:
        registration = _mine(request)
        if not registration.documents.filter(pk=pk).exists():
            raise Http404
        services.document_remove(registration=registration, actor=request.user, document_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyThrottle(RateLimitThrottle):
    """Verification is public; a per-address limit (shared with the page) keeps anyone from
    walking the number space."""

    action = "verify_registration"


class VerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        summary="Verify a registration number (public)",
        description="Name, status and validity only: never CNIC, contact details or documents.",
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(description="No such registration number"),
        },
        tags=["verification"],
    )
    def get(self, request: Request, number: str) -> Response:
        result = selectors.verify_registration(number)
        if result is None:
            raise Http404
        return Response(VerificationSerializer(asdict(result)).data)


class SkillListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Skill categories", responses={200: SkillSerializer(many=True)}, tags=["registration"]
    )
    def get(self, request: Request) -> Response:
        skills = selectors.active_skills()
        return Response(SkillSerializer([{"code": s.code, "name": s.name} for s in skills], many=True).data)
