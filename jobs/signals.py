"""Feed the stream bus after commit: a job's task changed, so its job's stream hears the task's
status and the job's new summary. No business rule lives here."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from jobs.events import job_event, job_task_event
from jobs.models import Job, JobTask
from streams import bus
from tasks.models import ProcessingTask


@receiver(post_save, sender=ProcessingTask, dispatch_uid="jobs.publish_job_progress")
def publish_job_progress(sender, instance: ProcessingTask, created: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if created:
        return  # a task is linked to its job after it is saved: its job publishes nothing yet
    job_id = JobTask.objects.filter(task_id=instance.pk).values_list("job_id", flat=True).first()
    if job_id is None:
        return
    task_event = job_task_event(job_id, instance)

    def publish() -> None:  # after commit: the summary reads what was committed
        bus.publish(task_event)
        job = Job.objects.filter(pk=job_id).first()
        if job is not None:
            bus.publish(job_event(job))

    transaction.on_commit(publish)
