"""The task `status` stream event (SSE streams, bus). Field names of its data are public."""
from __future__ import annotations

from django.urls import reverse

from streams.event import Event
from tasks.models import ProcessingTask

NAME = "status"


def task_topic(task_id: int) -> str:
    return f"task:{task_id}"


def user_tasks_topic(user_id: int) -> str:
    return f"user-tasks:{user_id}"


def task_status_payload(task: ProcessingTask) -> dict:
    return {
        "taskId": task.pk,
        "status": task.status,
        "progress": task.progress,
        "message": task.message,
        "messageCode": task.message_code,
        "messageParams": task.message_params,
        "version": task.version,
        "resultUrl": reverse("api-task-result", args=[task.pk]) if task.status == "completed" else None,
        "error": task.error_text or None,
    }


def task_status_event(task: ProcessingTask) -> Event:
    """A state event: the task's newest status replaces an older one a slow client has not read."""
    return Event(name=NAME, data=task_status_payload(task), topics=(task_topic(task.pk), user_tasks_topic(task.user_id)),
                 key=task_topic(task.pk), version=task.version)
