"""The accounts API: the password token (guarded by the same lockout as the login page, and
throttled), API keys."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts import keys
from accounts.models import ApiKey
from accounts.scopes import NO_API_KEYS, SCOPES
from lib.api import authenticated_errors, errors, message, rate_limit_headers
from lib.throttling import RateLimitHeaders


class InvalidCredentials(ValidationError):
    error_code = "invalid_credentials"


class AuthTokenSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenApi(RateLimitHeaders, APIView):
    """POST {username, password} → {token} (the per-user token); DELETE revokes it.

    The password goes through authenticate() with the underlying Django request, so django-axes
    counts a failure against the same username + address pair as the login page and the admin,
    and a locked pair is answered 429 with `retry_after` (accounts/lockout.py). POST is also
    throttled per client address and per username asked for (lib/throttling.py)."""

    api_key_scope = NO_API_KEYS
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    throttle_scope = "token"
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # form bodies: older clients

    def initialize_request(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.signing_in = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):  # type: ignore[no-untyped-def]
        # Nobody is signed in yet to ask for a token (and no CSRF check on a browser's cookie).
        return [] if getattr(self, "signing_in", False) else super().get_authenticators()

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @staticmethod
    def throttle_credential(request) -> str:  # type: ignore[no-untyped-def]
        return str(request.data.get("username", "")).strip().lower()

    # Form and multipart bodies still work (older clients); JSON is the one documented.
    @extend_schema(operation_id="auth_token_create", auth=[], parameters=rate_limit_headers(200),
                   request={"application/json": AuthTokenSerializer},
                   responses={200: message("Token", token=serializers.CharField(
                       help_text="send it as `Authorization: Token <token>`")),
                       **errors("invalid", "invalid_credentials", "locked_out", "throttled")},
                   description="Your API token (the same one each time, until it is revoked).")
    def post(self, request):  # type: ignore[no-untyped-def]
        credentials = AuthTokenSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None or not user.is_active:
            raise InvalidCredentials({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(operation_id="auth_token_destroy", request=None,
                   responses={204: OpenApiResponse(description="revoked (also when there was none)"),
                              **authenticated_errors("api_key_scope")},
                   description="Revoke your API token; the next POST gives a new one. API keys cannot do this.")
    def delete(self, request):  # type: ignore[no-untyped-def]
        keys.revoke_legacy_token(user_id=request.user.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeySerializer(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(source="expiry_date", allow_null=True)
    created_at = serializers.DateTimeField(source="created")

    class Meta:
        model = ApiKey
        fields = ["prefix", "name", "scopes", "created_at", "expires_at", "last_used_at", "revoked", "revoked_at"]


class ApiKeyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=keys.NAME_MAX)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(SCOPES)), required=False, default=list)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="the secret: shown this once, never again")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class ApiKeyListCreateApi(ListAPIView):
    """Managing keys needs a session or the password-based token: a key cannot mint keys."""

    api_key_scope = NO_API_KEYS
    serializer_class = ApiKeySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return keys.keys_of(user_id=self.request.user.pk)

    @extend_schema(operation_id="keys_list", responses={200: ApiKeySerializer(many=True),
                                                        **authenticated_errors("api_key_scope")},
                   description="Your API keys, live ones first (their secrets are never shown again).")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="keys_create", request=ApiKeyInputSerializer,
                   responses={201: NewApiKeySerializer, **authenticated_errors(
                       "invalid", "name_required", "name_too_long", "unknown_scope", "expiry_in_past",
                       "too_many_keys", "api_key_scope")},
                   description="Make a named key, optionally with scopes and an expiry. The answer holds its "
                               "secret, the only time it is shown.")
    def post(self, request):  # type: ignore[no-untyped-def]
        params = ApiKeyInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            key, secret = keys.create_key(user_id=request.user.pk, **params.validated_data)
        except keys.KeyRefused as exc:
            raise ValidationError({"detail": str(exc), "code": exc.code})
        # The only time the secret is ever shown.
        return Response({**ApiKeySerializer(key).data, "key": secret}, status=status.HTTP_201_CREATED)


class ApiKeyDetailApi(APIView):
    api_key_scope = NO_API_KEYS

    @extend_schema(operation_id="keys_destroy", request=None,
                   responses={204: OpenApiResponse(description="revoked"),
                              **authenticated_errors("not_found", "api_key_scope")},
                   description="Revoke a key (by its prefix): every web process refuses it from the next request.")
    def delete(self, request, prefix: str):  # type: ignore[no-untyped-def]
        if not keys.revoke_key(user_id=request.user.pk, prefix=prefix):
            raise Http404("No such live key.")
        return Response(status=status.HTTP_204_NO_CONTENT)
