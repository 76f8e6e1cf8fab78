"""Streams of task status: one task (`/sse/tasks/<id>/`) or all of a user's tasks (`/sse/tasks/`,
one connection for a whole list page), and the feed that catches their subscribers up.
Registered in apps.py; the openers run on the stream database pool (streams.sse)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.handlers.asgi import ASGIRequest
from django.db.models import Q
from django.utils import timezone

from streams.auth import last_event_id
from streams.event import Event
from streams.registry import Connection
from streams.routes import Feed, Opened, Refusal
from streams.sse import comment
from tasks.events import task_status_event, task_topic, user_tasks_topic
from tasks.models import ACTIVE_STATUSES, TERMINAL_STATUSES, ProcessingTask

LIST_SNAPSHOT = 50
TASK_PREFIX, USER_PREFIX = task_topic(0)[:-1], user_tasks_topic(0)[:-1]
# The SQLite poller re-reads this far behind its cursor: a stream that read its snapshot just before
# it registered would otherwise miss a change the poller already passed (repeats cost nothing: a
# connection ignores versions it has sent).
POLL_OVERLAP = timedelta(seconds=1)
READ_LIMIT = 2000


def _is_final(event: Event) -> bool:
    return event.data.get("status") in TERMINAL_STATUSES


def open_task_stream(request: ASGIRequest, user, task_id: int) -> Opened | Refusal | None:  # type: ignore[no-untyped-def]
    task = ProcessingTask.objects.filter(pk=task_id, user_id=user.pk).first()
    if task is None:  # someone else's task is exactly like no task
        return Refusal(404, "No such task.", "not_found")
    cursor, _ = last_event_id(request)
    finished = task.status in TERMINAL_STATUSES
    if finished and cursor is not None and cursor >= task.version:
        return None  # the client holds the final state already: 204
    event = task_status_event(task)
    connection = Connection(user_id=user.pk, topics=[task_topic(task.pk)])
    connection.sent[event.key] = task.version  # type: ignore[index]
    return Opened(connection, [event.frame()], finished=finished, is_final=_is_final)


def open_tasks_stream(request: ASGIRequest, user) -> Opened:  # type: ignore[no-untyped-def]
    connection = Connection(user_id=user.pk, topics=[user_tasks_topic(user.pk)])
    recent = list(ProcessingTask.objects.filter(user_id=user.pk).order_by("-updated_at")[:LIST_SNAPSHOT])
    shown = {t.pk for t in recent}
    active = ProcessingTask.objects.filter(user_id=user.pk, status__in=ACTIVE_STATUSES).exclude(pk__in=shown)
    first = []
    for task in [*recent, *active]:
        event = task_status_event(task)
        connection.sent[event.key] = task.version  # type: ignore[index]
        first.append(event.frame())
    return Opened(connection, first or [comment("no tasks yet")])


class TaskFeed(Feed["datetime | None"]):
    """Tasks changed since a moment, for the tasks and users listening."""

    def start(self) -> datetime | None:
        return timezone.now()

    def read(self, topics: set[str], since: datetime | None) -> tuple[list[Event], datetime | None]:
        query = self._query(topics)
        if query is None:
            return [], since
        if since is not None:
            query = query.filter(updated_at__gte=since - POLL_OVERLAP)
        events, newest = [], since
        for task in query.order_by("updated_at")[:READ_LIMIT]:
            events.append(task_status_event(task))
            newest = task.updated_at if newest is None or task.updated_at > newest else newest
        return events, newest

    def resync(self, topics: set[str], since: datetime | None) -> tuple[list[Event], datetime | None]:
        """After a gap: the current state of every subscribed task (the newest, if there are more
        than READ_LIMIT), whenever it last changed."""
        query = self._query(topics)
        if query is None:
            return [], since
        return [task_status_event(task) for task in query.order_by("-updated_at")[:READ_LIMIT]], since

    @staticmethod
    def _query(topics: set[str]):  # type: ignore[no-untyped-def]
        task_ids = {int(t[len(TASK_PREFIX):]) for t in topics if t.startswith(TASK_PREFIX)}
        users = {int(t[len(USER_PREFIX):]) for t in topics if t.startswith(USER_PREFIX)}
        if not task_ids and not users:
            return None
        return ProcessingTask.objects.filter(Q(pk__in=task_ids) | Q(user_id__in=users))
