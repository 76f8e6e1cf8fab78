from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import authenticated_errors, message
from notifications import services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="in the request's language")
    body = serializers.CharField(read_only=True, help_text="in the request's language")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationEventSerializer(serializers.Serializer):
    """The data of a `notification` event on /sse/notifications/ (notifications/events.py)."""

    id = serializers.IntegerField(help_text="the notification's id; also the SSE `id:`")
    kind = serializers.ChoiceField(choices=Notification.Kind.choices)
    title = serializers.CharField(help_text="in the language of the stream request")
    body = serializers.CharField()
    url = serializers.CharField(help_text="the page it is about (may be empty)")
    createdAt = serializers.DateTimeField(allow_null=True)  # noqa: N815 — the event's public field names


class NotificationListApi(ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at=None)
        return queryset

    @extend_schema(operation_id="notifications_list", parameters=[
        OpenApiParameter("unread", bool, description="`true`: only the unread ones")],
        responses={200: NotificationSerializer(many=True), **authenticated_errors()}, description="Newest first.")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    @extend_schema(operation_id="notifications_read", request=None,
                   responses={200: message("NotificationRead", ok=serializers.BooleanField()),
                              **authenticated_errors("not_found")})
    def post(self, request, notification_id: int):  # type: ignore[no-untyped-def]
        if not Notification.objects.filter(pk=notification_id, user=request.user).exists():
            return Response({"detail": _("No such notification."), "code": "not_found"}, status=404)
        services.mark_read(user_id=request.user.pk, notification_id=notification_id)
        return Response({"ok": True})


class NotificationReadAllApi(APIView):
    @extend_schema(operation_id="notifications_read_all", request=None,
                   responses={200: message("NotificationsRead", marked=serializers.IntegerField(
                       help_text="how many were unread")), **authenticated_errors()})
    def post(self, request):  # type: ignore[no-untyped-def]
        return Response({"marked": services.mark_all_read(user_id=request.user.pk)})
