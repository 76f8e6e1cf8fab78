from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="in the request's language")
    body = serializers.CharField(read_only=True, help_text="in the request's language")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationListApi(ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at=None)
        return queryset


class NotificationReadApi(APIView):
    def post(self, request, notification_id: int):  # type: ignore[no-untyped-def]
        if not Notification.objects.filter(pk=notification_id, user=request.user).exists():
            return Response({"detail": "No such notification.", "code": "not_found"}, status=404)
        services.mark_read(user_id=request.user.pk, notification_id=notification_id)
        return Response({"ok": True})


class NotificationReadAllApi(APIView):
    def post(self, request):  # type: ignore[no-untyped-def]
        return Response({"marked": services.mark_all_read(user_id=request.user.pk)})
