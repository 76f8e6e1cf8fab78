"""The events of a job's stream (`/sse/jobs/<id>/`): `job` (the summary, a state keyed
`job:<id>` whose version is the sum of its tasks' versions, so it grows with every change) and
`status` (each task's own status event, the same data as on /sse/tasks/<id>/). Field names of
their data are public."""
from __future__ import annotations

from django.urls import reverse

from jobs.models import Job, JobStatus
from jobs.selectors import JobSummary, summarize
from streams.event import Event
from tasks.events import task_status_payload, task_topic
from tasks.models import ProcessingTask

ENDED = (JobStatus.COMPLETED, JobStatus.PARTIAL, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.EMPTY)


def job_topic(job_id: int) -> str:
    return f"job:{job_id}"


def job_payload(job: Job, summary: JobSummary) -> dict:
    return {
        "jobId": job.pk, "status": summary.status, "progress": summary.progress, "total": summary.total,
        "counts": summary.counts, "characters": summary.characters, "reserved": summary.reserved,
        "charged": summary.charged, "refunded": summary.refunded, "version": summary.version,
        "resultUrl": reverse("api-job-result", args=[job.pk]) if summary.counts["completed"] else None,
    }


def job_event(job: Job, summary: JobSummary | None = None) -> Event:
    summary = summary or summarize(job)
    return Event(name="job", data=job_payload(job, summary), topics=(job_topic(job.pk),), key=job_topic(job.pk),
                 version=summary.version)


def job_task_event(job_id: int, task: ProcessingTask) -> Event:
    """A task's status on its job's stream (keyed like the task's own stream)."""
    return Event(name="status", data=task_status_payload(task), topics=(job_topic(job_id),),
                 key=task_topic(task.pk), version=task.version)
