from django.urls import path

from notifications.api import NotificationListApi, NotificationReadAllApi, NotificationReadApi

urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:notification_id>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
]
