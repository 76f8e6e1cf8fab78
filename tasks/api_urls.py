"""The tasks API, under /api/v1/ (and its alias /api/). The quote is jobs.api_urls' (it prices jobs too)."""
from django.urls import path

from tasks import api

urlpatterns = [
    path("engines/", api.EngineListApi.as_view(), name="api-engines"),
    path("formats/", api.FormatListApi.as_view(), name="api-formats"),
    path("tasks/", api.TaskListCreateApi.as_view(), name="api-tasks"),
    path("tasks/<int:task_id>/", api.TaskDetailApi.as_view(), name="api-task-detail"),
    path("tasks/<int:task_id>/cancel/", api.TaskCancelApi.as_view(), name="api-task-cancel"),
    path("tasks/<int:task_id>/retry/", api.TaskRetryApi.as_view(), name="api-task-retry"),
    path("tasks/<int:task_id>/result/", api.TaskResultApi.as_view(), name="api-task-result"),
]
