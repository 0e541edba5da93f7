"""The API's sign-in and sign-out: trade a password for a token, list and revoke one's tokens,
log out one token or everywhere. Thin: the rules are in ``accounts.login_guard`` and
``accounts.tokens``."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import login_guard, tokens, two_factor
from erozgar.compression import holds_secret
from erozgar.errors import NotAllowed
from erozgar.schema import ErrorSerializer
from erozgar.throttling import AddressScopedThrottle


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        max_length=16,
        required=False,
        help_text="The 6-digit code of the authenticator app (or a recovery code); required for staff.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`; shown only once.")
    id = serializers.CharField(help_text="The token's public id, to list and revoke it.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class TokenInfoSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(source="token_key", help_text="The token's first characters, its public id.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.BooleanField(help_text="Whether this request was made with this token.")


SET_UP_FIRST = gettext_lazy(
    "Set up two-factor sign-in on the portal first (My account), then ask for a token with its code."
)
_DONE = OpenApiResponse(description="Done; nothing to read.")


class TokenView(APIView):
    """Trade an email and password for an API token (send it as ``Authorization: Token <token>``).

    Tokens expire (``expiry``) and can be listed and revoked. Wrong passwords count as on the
    login form (``accounts.login_guard``): past the limit the answer is 429 and the password is
    not checked. An unknown email and a wrong password get the same answer.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AddressScopedThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        attempt = login_guard.begin(request._request, email)
        if not attempt.allowed:
            raise Throttled(detail=_("Too many failed sign-in attempts. Try again later."))
        user = authenticate(request._request, email=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("That email and password do not match an account.")]}
            )
        attempt.succeeded()
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            raise ValidationError(
                {"non_field_errors": [_("Verify your email address first; we sent you a link.")]}
            )
        if two_factor.requires_two_factor(user):
            self.check_second_factor(user, data.validated_data.get("code") or "")
        instance, token = tokens.token_issue(user=user)  # type: ignore[arg-type]
        # Never compressed: a secret in a compressed body leaks through its length (BREACH).
        response = holds_secret(
            Response({"token": token, "id": instance.token_key, "expiry": instance.expiry})
        )
        login_guard.remember_device(request._request, response, user.email)
        return response

    def check_second_factor(self, user: Any, code: str) -> None:
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP

        totp = two_factor.totp_of(user)
        if totp is None:
            raise NotAllowed(
                SET_UP_FIRST,
                code="two_factor_required",
            )
        if code and TOTP(totp).validate_code(code):
            return
        codes = two_factor.recovery_codes_of(user)
        if code and codes is not None and RecoveryCodes(codes).validate_code(code):
            return
        raise ValidationError({"code": [_("Enter the current 6-digit code of your authenticator app.")]})


def _current_key(request: Request) -> str | None:
    return request.auth.token_key if isinstance(request.auth, AuthToken) else None


class TokenListView(APIView):
    @extend_schema(summary="My API tokens", responses={200: TokenInfoSerializer(many=True)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        current = _current_key(request)
        rows = [
            {
                "token_key": t.token_key,
                "created": t.created,
                "expiry": t.expiry,
                "current": t.token_key == current,
            }
            for t in tokens.tokens_of(request.user)  # type: ignore[arg-type]
        ]
        return Response(TokenInfoSerializer(rows, many=True).data)


class TokenRevokeView(APIView):
    @extend_schema(
        summary="Revoke one of my API tokens",
        request=None,
        responses={204: _DONE, 404: OpenApiResponse(description="No such token of yours")},
        tags=["auth"],
    )
    def delete(self, request: Request, key: str) -> Response:
        if not tokens.token_revoke(user=request.user, token_key=str(key)[:25]):  # type: ignore[arg-type]
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    @extend_schema(
        summary="Revoke the token of this request", request=None, responses={204: _DONE}, tags=["auth"]
    )
    def post(self, request: Request) -> Response:
        current = _current_key(request)
        if current is not None:
            tokens.token_revoke(user=request.user, token_key=current)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(APIView):
    @extend_schema(
        summary="Log out everywhere: revoke every token and end every browser session",
        request=None,
        responses={204: _DONE},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        tokens.log_out_everywhere(user=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
