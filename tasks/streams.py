"""SSE streams of task status: one task (`/sse/tasks/<id>/`) or all of a user's tasks
(`/sse/tasks/`, one connection for a whole list page). These openers run on the stream
database pool (zhiyi.streams.sse): they read who is asking and the snapshot, and return what to
stream; the bus delivers the rest."""
from __future__ import annotations

from django.core.handlers.asgi import ASGIRequest

from tasks.events import task_status_payload
from tasks.models import ACTIVE_STATUSES, TERMINAL_STATUSES, ProcessingTask
from zhiyi.streams import sse
from zhiyi.streams.registry import Connection

LIST_SNAPSHOT = 50


def _status(task: ProcessingTask) -> dict:
    return {"type": "status", **task_status_payload(task)}


def open_task_stream(request: ASGIRequest, task_id: int) -> sse.Opened | sse.Refusal | None:
    user = sse.stream_user(request)
    if user is None:
        return sse.unauthorised()
    task = ProcessingTask.objects.filter(pk=task_id, user_id=user.pk).first()
    if task is None:  # someone else's task is exactly like no task
        return sse.Refusal(404, "No such task.", "not_found")
    cursor, _ = sse.last_event_id(request)
    finished = task.status in TERMINAL_STATUSES
    if finished and cursor is not None and cursor >= task.version:
        return None  # the client holds the final state already: 204
    refused = None if finished else sse.refuse_if_over_limits(user.pk)
    if refused:
        return refused
    connection = Connection(user_id=user.pk, kind="task", task_id=task.pk)
    connection.sent_versions[task.pk] = task.version
    return sse.Opened(connection, [sse.encode_event(_status(task))], finished=finished,
                      is_final=lambda event: event.get("status") in TERMINAL_STATUSES)


def open_tasks_stream(request: ASGIRequest) -> sse.Opened | sse.Refusal:
    user = sse.user_within_limits(request)
    if isinstance(user, sse.Refusal):
        return user
    connection = Connection(user_id=user.pk, kind="tasks")
    recent = list(ProcessingTask.objects.filter(user_id=user.pk).order_by("-updated_at")[:LIST_SNAPSHOT])
    shown = {t.pk for t in recent}
    active = ProcessingTask.objects.filter(user_id=user.pk, status__in=ACTIVE_STATUSES).exclude(pk__in=shown)
    first = []
    for task in [*recent, *active]:
        connection.sent_versions[task.pk] = task.version
        first.append(sse.encode_event(_status(task)))
    return sse.Opened(connection, first or [sse.comment("no tasks yet")])
