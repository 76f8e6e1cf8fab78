"""SSE streams of task status: one task (`/sse/tasks/<id>/`) or all of a user's tasks
(`/sse/tasks/`, one connection for a whole list page). Read-only and async: a snapshot from the
database first, then the events the bus delivers."""
from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from tasks.events import task_status_payload
from tasks.models import ACTIVE_STATUSES, TERMINAL_STATUSES, ProcessingTask
from zhiyi.streams import sse
from zhiyi.streams.auth import last_event_id, stream_user
from zhiyi.streams.registry import Connection

LIST_SNAPSHOT = 50


def _unauthorised() -> JsonResponse:
    return JsonResponse({"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
                        status=401)


def _status(task: ProcessingTask) -> dict:
    return {"type": "status", **task_status_payload(task)}


async def task_stream(request: HttpRequest, task_id: int) -> HttpResponse:
    user = await stream_user(request)
    if user is None:
        return _unauthorised()
    task = await ProcessingTask.objects.filter(pk=task_id, user_id=user.pk).afirst()
    if task is None:
        return JsonResponse({"detail": "No such task.", "code": "not_found"}, status=404)
    cursor, _ = last_event_id(request)
    if task.status in TERMINAL_STATUSES and cursor is not None and cursor >= task.version:
        return HttpResponse(status=204)  # the client already has the final state: stop reconnecting
    refused = sse.refuse_if_over_limits(user.pk)
    if refused:
        return refused
    connection = Connection(user_id=user.pk, kind="task", task_id=task.pk)
    connection.sent_versions[task.pk] = task.version
    first = [sse.encode_event(_status(task))]
    await sse.release_database()
    if task.status in TERMINAL_STATUSES:
        return _finished(first)
    return sse.stream(connection, first, is_final=lambda event: event.get("status") in TERMINAL_STATUSES)


def _finished(first: list[bytes]) -> HttpResponse:
    """A finished task: the final snapshot, then the end of the stream."""
    async def body():  # type: ignore[no-untyped-def]
        for chunk in first:
            yield chunk

    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(body(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def tasks_stream(request: HttpRequest) -> HttpResponse:
    user = await stream_user(request)
    if user is None:
        return _unauthorised()
    refused = sse.refuse_if_over_limits(user.pk)
    if refused:
        return refused
    connection = Connection(user_id=user.pk, kind="tasks")
    first = []
    recent = ProcessingTask.objects.filter(user_id=user.pk).order_by("-updated_at")[:LIST_SNAPSHOT]
    async for task in recent:
        connection.sent_versions[task.pk] = task.version
        first.append(sse.encode_event(_status(task)))
    active = ProcessingTask.objects.filter(user_id=user.pk, status__in=ACTIVE_STATUSES).exclude(
        pk__in=list(connection.sent_versions))
    async for task in active:
        connection.sent_versions[task.pk] = task.version
        first.append(sse.encode_event(_status(task)))
    if not first:
        first.append(sse.comment(json.dumps({"tasks": 0})))
    await sse.release_database()
    return sse.stream(connection, first)
