"""A job's actions, each acting on the job's tasks one by one through tasks.services (each task
keeps its own locking, refund and reservation rules); one task's refusal does not stop the others."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from credits.services import InsufficientCredits
from jobs.models import Job
from tasks import services
from tasks.errors import InvalidTransition, TaskError
from tasks.models import ACTIVE_STATUSES, Status


@dataclass
class JobActionReport:
    done: list[int] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # {"task": id, "code": ..., "detail": ...}


def _task_ids(job: Job, statuses: tuple[str, ...]) -> list[int]:
    return list(job.links.filter(task__status__in=statuses).order_by("task_id").values_list("task_id", flat=True))


def cancel_job(*, job_id: int, actor: str = "user") -> JobActionReport:
    """Cancel (and refund) every unfinished task of the job; the ones waiting their turn first,
    so that no cancelled task's turn goes to one about to be cancelled."""
    job = Job.objects.get(pk=job_id)
    report = JobActionReport()
    waiting = set(job.links.filter(task__status=Status.QUEUED, task__waiting_turn=True).values_list("task_id", flat=True))
    for task_id in sorted(_task_ids(job, ACTIVE_STATUSES), key=lambda pk: (pk not in waiting, pk)):
        try:
            services.cancel_task(task_id=task_id, actor=actor)
            report.done.append(task_id)
        except InvalidTransition:
            pass  # it ended meanwhile: nothing left to cancel
    return report


def retry_job(*, job_id: int, actor: str = "user") -> JobActionReport:
    """Run every failed task of the job again (each reserves its own new round)."""
    job = Job.objects.get(pk=job_id)
    report = JobActionReport()
    for task_id in _task_ids(job, (Status.FAILED,)):
        try:
            services.retry_task(task_id=task_id, actor=actor)
            report.done.append(task_id)
        except (TaskError, InsufficientCredits) as exc:
            report.refused.append({"task": task_id, "code": exc.code, "detail": str(exc)})
    return report


def delete_job(*, job_id: int) -> None:
    """Delete an ended job with its tasks and their files (409 while a task is unfinished)."""
    job = Job.objects.get(pk=job_id)
    if _task_ids(job, ACTIVE_STATUSES):
        raise InvalidTransition(_("This job still has unfinished tasks; cancel it first."))
    for task_id in _task_ids(job, (Status.COMPLETED, Status.FAILED, Status.CANCELLED)):
        services.delete_task(task_id=task_id)
    with transaction.atomic():
        Job.objects.filter(pk=job_id).delete()
