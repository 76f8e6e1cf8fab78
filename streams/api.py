"""POST /api/v1/streams/token/: a short-lived token that opens the caller's streams as `?token=`
(for a browser EventSource on another origin, which cannot send an Authorization header)."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from streams import routes
from streams.auth import issue_stream_token


class StreamTokenOptionsSerializer(serializers.Serializer):
    path = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=(
        "limit the token to one stream path, e.g. `/sse/tasks/42/` (default: any of your streams)"))

    def validate_path(self, value: str) -> str:
        if value and routes.match(value) is None:
            raise serializers.ValidationError(_("Not a stream path."))
        return value


class StreamTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="append as `?token=` to a stream URL")
    expires_in = serializers.IntegerField(help_text="seconds the token can open a stream for")
    expires_at = serializers.DateTimeField()
    path = serializers.CharField(allow_blank=True, help_text="the one path it opens (empty: any of yours)")


class StreamTokenApi(APIView):
    api_key_scope = "read"  # watching is reading: a read-only API key may open streams
    @extend_schema(operation_id="streams_token_create", request=StreamTokenOptionsSerializer,
                   responses={200: StreamTokenSerializer,
                              # The API's shared error components (lib/api.py, which this layer may not import).
                              400: OpenApiResponse({"$ref": "#/components/schemas/ValidationError"},
                                                   description="`invalid`: `path` is not a stream path"),
                              401: OpenApiResponse({"$ref": "#/components/schemas/Error"},
                                                   description="`not_authenticated`, `authentication_failed`")},
                   description="A token for `GET /sse/...?token=<token>`: signed, good only for opening your "
                               "streams, for ZHIYI_STREAM_TOKEN_TTL_S seconds (300 by default). A stream opened "
                               "with it stays open past that; an EventSource reconnecting later needs a new token.")
    def post(self, request):  # type: ignore[no-untyped-def]
        params = StreamTokenOptionsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        path = params.validated_data.get("path", "")
        ttl = settings.ZHIYI_STREAM_TOKEN_TTL_S
        return Response(StreamTokenSerializer({
            "token": issue_stream_token(user_id=request.user.pk, path=path), "expires_in": ttl,
            "expires_at": timezone.now() + timedelta(seconds=ttl), "path": path}).data)
