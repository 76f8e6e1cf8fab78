"""The stream of one job (`/sse/jobs/<id>/`): one connection per job page, whatever the number of
its tasks. The snapshot is the job's summary and every task's status; then each change. Registered
in apps.py; the opener runs on the stream database pool (streams.sse)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.handlers.asgi import ASGIRequest
from django.utils import timezone

from jobs.events import ENDED, job_event, job_task_event, job_topic
from jobs.models import Job
from jobs.selectors import job_tasks
from streams.auth import last_event_id
from streams.event import Event
from streams.registry import Connection
from streams.routes import Feed, Opened, Refusal
from tasks.models import ProcessingTask

JOB_PREFIX = job_topic(0)[:-1]
POLL_OVERLAP = timedelta(seconds=1)  # as tasks.streams: the SQLite poller re-reads this far behind its cursor
READ_LIMIT = 2000


def _is_final(event: Event) -> bool:
    return event.name == "job" and event.data.get("status") in ENDED


def open_job_stream(request: ASGIRequest, user, job_id: int) -> Opened | Refusal | None:  # type: ignore[no-untyped-def]
    job = Job.objects.filter(pk=job_id, user_id=user.pk).first()
    if job is None:  # someone else's job is exactly like no job
        return Refusal(404, "No such job.", "not_found")
    summary_event = job_event(job)
    finished = summary_event.data["status"] in ENDED
    cursor, _ = last_event_id(request)
    if finished and cursor is not None and cursor >= summary_event.version:
        return None  # the client holds the final state already: 204
    connection = Connection(user_id=user.pk, topics=[job_topic(job.pk)])
    first = []
    for task in job_tasks(job):
        event = job_task_event(job.pk, task)
        connection.sent[event.key] = task.version  # type: ignore[index]
        first.append(event.frame())
    connection.sent[summary_event.key] = summary_event.version  # type: ignore[index]
    first.append(summary_event.frame())  # last: the summary is what ends the stream
    return Opened(connection, first, finished=finished, is_final=_is_final)


class JobFeed(Feed["datetime | None"]):
    """The tasks of the listened-to jobs changed since a moment, and those jobs' summaries."""

    def start(self) -> datetime | None:
        return timezone.now()

    def read(self, topics: set[str], since: datetime | None) -> tuple[list[Event], datetime | None]:
        job_ids = {int(t[len(JOB_PREFIX):]) for t in topics if t.startswith(JOB_PREFIX)}
        if not job_ids:
            return [], since
        query = ProcessingTask.objects.filter(job_link__job_id__in=job_ids).select_related("job_link")
        if since is not None:
            query = query.filter(updated_at__gte=since - POLL_OVERLAP)
        events, newest, touched = [], since, set()
        for task in query.order_by("updated_at")[:READ_LIMIT]:
            events.append(job_task_event(task.job_link.job_id, task))
            touched.add(task.job_link.job_id)
            newest = task.updated_at if newest is None or task.updated_at > newest else newest
        events += [job_event(job) for job in Job.objects.filter(pk__in=touched)]
        return events, newest
