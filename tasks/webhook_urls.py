"""The webhook external engines report to. Not a client operation, so not versioned with the
API: its address is part of the engines' protocol (the `callback_url` of a job)."""
from django.urls import path

from tasks.webhooks.view import webhook_view

urlpatterns = [
    path("tasks/webhook/", webhook_view, name="api-task-webhook"),
]
