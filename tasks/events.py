"""The payload of a task `status` event (SSE streams, bus). Field names are public."""
from __future__ import annotations

from django.urls import reverse

from tasks.models import ProcessingTask


def task_status_payload(task: ProcessingTask) -> dict:
    return {
        "taskId": task.pk,
        "userId": task.user_id,
        "status": task.status,
        "progress": task.progress,
        "message": task.message,
        "version": task.version,
        "resultUrl": reverse("api-task-result", args=[task.pk]) if task.status == "completed" else None,
        "error": task.error or None,
    }
