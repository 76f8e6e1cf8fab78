"""POST /api/v1/auth/token/: trade a username and password for the API token."""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from lib.api import errors, message, rate_limit_headers
from lib.throttling import RateLimitHeaders


class InvalidCredentials(ValidationError):
    error_code = "invalid_credentials"


class TokenCreateApi(RateLimitHeaders, ObtainAuthToken):
    """REST framework's token view, throttled per client address and per username asked for."""

    authentication_classes = ()  # nobody is signed in yet (and no CSRF check on a browser's cookie)
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    throttle_scope = "token"

    @staticmethod
    def throttle_credential(request) -> str:  # type: ignore[no-untyped-def]
        return str(request.data.get("username", "")).strip().lower()

    # Form and multipart bodies still work (older clients); JSON is the one documented.
    @extend_schema(operation_id="auth_token_create", auth=[], parameters=rate_limit_headers(200),
                   request={"application/json": AuthTokenSerializer},
                   responses={200: message("Token", token=serializers.CharField(
                       help_text="send it as `Authorization: Token <token>`")),
                       **errors("invalid", "invalid_credentials", "throttled")},
                   description="Your API token (the same one each time, until it is revoked).")
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if any(getattr(e, "code", "") == "authorization" for e in serializer.errors.get("non_field_errors", [])):
                raise InvalidCredentials({"non_field_errors": [_("Unable to log in with provided credentials.")]})
            raise ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
