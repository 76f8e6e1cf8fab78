"""Feed the stream bus after commit: a job's task changed, so its job's stream hears the task's
status and the job's new summary. No business rule lives here.

One transaction may change many tasks of a job (cancel, retry): their statuses go out first and
the job's summary once, last, so a stream that ends on the summary (jobs/streams.py) has sent
every task's status by then. Statuses are read back at commit, so they are what was committed."""
from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from jobs.events import job_event, job_task_event
from jobs.models import Job, JobTask
from streams import bus
from tasks.models import ProcessingTask


class _JobChanges:
    """The job tasks one transaction changed, published together when it commits."""

    def __init__(self) -> None:
        self.tasks: dict[int, set[int]] = defaultdict(set)  # job id → task ids
        self.callback = self.publish  # one bound method, found again among the commit hooks

    def is_pending(self, connection) -> bool:  # type: ignore[no-untyped-def]
        # Still among the connection's commit hooks (not run yet, not dropped by a rollback).
        return connection.in_atomic_block and any(hook[1] is self.callback for hook in connection.run_on_commit)

    def publish(self) -> None:
        for job_id, task_ids in self.tasks.items():
            for task in ProcessingTask.objects.filter(pk__in=task_ids).order_by("pk"):
                bus.publish(job_task_event(job_id, task))
            job = Job.objects.filter(pk=job_id).first()
            if job is not None:
                bus.publish(job_event(job))


@receiver(post_save, sender=ProcessingTask, dispatch_uid="jobs.publish_job_progress")
def publish_job_progress(sender, instance: ProcessingTask, created: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if created:
        return  # a task is linked to its job after it is saved: its job publishes nothing yet
    job_id = JobTask.objects.filter(task_id=instance.pk).values_list("job_id", flat=True).first()
    if job_id is None:
        return
    using = kwargs.get("using")
    connection = transaction.get_connection(using)
    changes = getattr(connection, "zhiyi_job_changes", None)
    if changes is not None and changes.is_pending(connection):
        changes.tasks[job_id].add(instance.pk)
        return
    changes = _JobChanges()
    changes.tasks[job_id].add(instance.pk)
    connection.zhiyi_job_changes = changes
    transaction.on_commit(changes.callback, using=using)
