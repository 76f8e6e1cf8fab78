from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from credits.api import CreditsApi
from memory.api import GlossaryDetailApi, GlossaryListCreateApi, MemoryApi
from notifications.api import NotificationListApi, NotificationReadAllApi, NotificationReadApi
from tasks import api as task_api
from tasks.webhooks import webhook_view as task_webhook_view
from zhiyi.admin import operations_view
from zhiyi.health import healthz
from zhiyi.metrics import metrics_view

api_patterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("engines/", task_api.EngineListApi.as_view(), name="api-engines"),
    path("quote/", task_api.QuoteApi.as_view(), name="api-quote"),
    path("tasks/", task_api.TaskListCreateApi.as_view(), name="api-tasks"),
    path("tasks/webhook/", task_webhook_view, name="api-task-webhook"),
    path("tasks/<int:task_id>/", task_api.TaskDetailApi.as_view(), name="api-task-detail"),
    path("tasks/<int:task_id>/cancel/", task_api.TaskCancelApi.as_view(), name="api-task-cancel"),
    path("tasks/<int:task_id>/retry/", task_api.TaskRetryApi.as_view(), name="api-task-retry"),
    path("tasks/<int:task_id>/result/", task_api.TaskResultApi.as_view(), name="api-task-result"),
    path("credits/", CreditsApi.as_view(), name="api-credits"),
    path("memory/", MemoryApi.as_view(), name="api-memory"),
    path("glossaries/", GlossaryListCreateApi.as_view(), name="api-glossaries"),
    path("glossaries/<int:glossary_id>/", GlossaryDetailApi.as_view(), name="api-glossary-detail"),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:notification_id>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("admin/operations/", admin.site.admin_view(operations_view), name="admin-operations"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("", include("tasks.urls")),
]
