"""The accounts API: the password token (guarded by the same lockout as the login page), API keys."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import keys
from accounts.models import ApiKey
from accounts.scopes import NO_API_KEYS, SCOPES


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenApi(APIView):
    """POST {username, password} → {token} (the legacy per-user token); DELETE revokes it.

    The password goes through authenticate() with the underlying Django request, so django-axes
    counts a failure against the same username + address pair as the login page and the admin,
    and a locked pair is answered 429 with `retry_after` (accounts/lockout.py)."""

    api_key_scope = NO_API_KEYS

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(request=CredentialsSerializer, responses={200: {"type": "object", "properties": {
        "token": {"type": "string"}}}})
    def post(self, request):  # type: ignore[no-untyped-def]
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None or not user.is_active:
            raise ValidationError({"detail": "Unable to log in with the provided credentials.",
                                   "code": "invalid_credentials"})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

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


class ApiKeyListCreateApi(APIView):
    """Managing keys needs a session or the password-based token: a key cannot mint keys."""

    api_key_scope = NO_API_KEYS

    @extend_schema(responses=ApiKeySerializer(many=True))
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response(ApiKeySerializer(keys.keys_of(user_id=request.user.pk), many=True).data)

    @extend_schema(request=ApiKeyInputSerializer, responses={201: ApiKeySerializer})
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

    def delete(self, request, prefix: str):  # type: ignore[no-untyped-def]
        if not keys.revoke_key(user_id=request.user.pk, prefix=prefix):
            raise Http404("No such live key.")
        return Response(status=status.HTTP_204_NO_CONTENT)
