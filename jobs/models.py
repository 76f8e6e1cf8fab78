"""A job: many documents × several target languages, created, paid and downloaded as one.
Each of its tasks is a normal ProcessingTask (its own page, stream, retry); the job's status is
derived from theirs, never stored."""
from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import models

from tasks.models import ProcessingTask, Status


class JobStatus(models.TextChoices):
    QUEUED = "queued"  # nothing started yet
    PROCESSING = "processing"  # some task is still to finish
    COMPLETED = "completed"  # every task completed
    PARTIAL = "partial"  # ended; some completed, some failed or cancelled
    FAILED = "failed"  # ended; none completed, some failed
    CANCELLED = "cancelled"  # ended; every task cancelled
    EMPTY = "empty"  # its tasks were deleted


class Job(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    engine = models.CharField(max_length=32)
    source_lang = models.CharField(max_length=20)
    target_langs = models.JSONField(default=list)
    options = models.JSONField(default=dict, blank=True)
    documents = models.PositiveIntegerField(default=0, help_text="documents in the job (after zips were opened)")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    request_digest = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="job_idempotency_key_per_user"),
        ]

    def __str__(self) -> str:
        return f"job #{self.pk} ({self.documents} documents × {len(self.target_langs)})"


class JobTask(models.Model):
    """One task of a job: a document (at `path` inside the job: its folder in the zip, if any)
    translated into one target language."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="links")
    task = models.OneToOneField(ProcessingTask, on_delete=models.CASCADE, related_name="job_link")
    path = models.CharField(max_length=500, blank=True, help_text="folder inside the job, '' or 'a/b/'")
    document = models.PositiveIntegerField(default=0, help_text="the document's position in the job")

    class Meta:
        ordering = ["document", "id"]
        indexes = [models.Index(fields=["job", "document"])]


def job_status(counts: Counter) -> str:
    """The status of a job whose tasks are in these statuses (a count per status)."""
    total = sum(counts.values())
    if total == 0:
        return JobStatus.EMPTY
    active = counts[Status.QUEUED] + counts[Status.PROCESSING] + counts[Status.WAITING_EXTERNAL]
    if active:
        return JobStatus.QUEUED if counts[Status.QUEUED] == total else JobStatus.PROCESSING
    if counts[Status.COMPLETED] == total:
        return JobStatus.COMPLETED
    if counts[Status.COMPLETED]:
        return JobStatus.PARTIAL
    if counts[Status.FAILED]:
        return JobStatus.FAILED
    return JobStatus.CANCELLED
