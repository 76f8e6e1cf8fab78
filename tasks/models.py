from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from lib.messages import render_kept


class Status(models.TextChoices):
    QUEUED = "queued"
    PROCESSING = "processing"
    WAITING_EXTERNAL = "waiting_external", "waiting for external engine"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (Status.QUEUED, Status.PROCESSING, Status.WAITING_EXTERNAL)
TERMINAL_STATUSES = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


STORED_NAME_BYTES = 200  # of a stored file's name; file systems allow 255, the storage may add a suffix


def storage_name(name: str) -> str:
    """A stored file's name for a name as people gave it: what the storage accepts (its
    get_valid_name), cut to STORED_NAME_BYTES of UTF-8 keeping the extension. The name people
    see (ProcessingTask.filename, the download's name) stays as it was."""
    valid = default_storage.get_valid_name(name)
    stem, dot, ext = valid.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = valid, ""
    stem = stem.strip("._") or "document"  # a name of emoji alone keeps nothing: never a hidden ".txt"
    suffix = f".{ext}" if ext else ""
    room = STORED_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:room].decode("utf-8", "ignore") or "document"
    return stem + suffix


def _upload_path(task: ProcessingTask, filename: str) -> str:
    return f"originals/{task.user_id}/{uuid.uuid4().hex}/{storage_name(filename)}"


def _result_path(task: ProcessingTask, filename: str) -> str:
    return f"results/{task.user_id}/{uuid.uuid4().hex}/{storage_name(filename)}"


class ProcessingTask(models.Model):
    """One document translation. Its status changes only through tasks.services, each change
    under a row lock with the allowed source states checked, and each save bumps `version`
    (the SSE event id), so racing callers get exactly one winner and clients can order events."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    # What the task says about itself, as a code and its parameters (tasks/messages.py), rendered
    # in the reader's language when read: see `message`.
    message_code = models.CharField(max_length=40, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField(default=0, help_text="worker runs in the current round")
    # Every claim by a worker, over all rounds (never reset): the run that owns the task now.
    # Every later write of a worker checks it, so a run of an earlier round (cancelled, then
    # retried at once) is shut out at its next step even though its attempt number repeats.
    run = models.PositiveIntegerField(default=0, help_text="worker runs over all rounds; the owner's number")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # A retryable engine failure puts the task back in the queue until then (the reaper sends it).
    retry_at = models.DateTimeField(null=True, blank=True)
    # Queued but not yet handed to the worker: it waits for its user's turn (tasks.services.turns),
    # so one user's thousand queued tasks do not hold every worker while another user waits.
    waiting_turn = models.BooleanField(default=False)

    engine = models.CharField(max_length=32)
    source_lang = models.CharField(max_length=20)
    target_lang = models.CharField(max_length=20)
    format = models.CharField(max_length=16)
    options = models.JSONField(default=dict, blank=True, help_text="bilingual, glossary, formality…")

    original = models.FileField(upload_to=_upload_path, max_length=500)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    result = models.FileField(upload_to=_result_path, max_length=500, blank=True)

    characters = models.PositiveIntegerField(default=0)
    cost = models.PositiveIntegerField(default=0, help_text="points reserved for the current round")
    charged = models.PositiveIntegerField(default=0, help_text="points finally charged")
    # What the user's translation memory and glossary did in the run that completed the task
    # (saved by tasks.services.complete_task); None: not recorded (an external engine, or older tasks).
    segments = models.PositiveIntegerField(null=True, blank=True, help_text="segments with text")
    memory_segments = models.PositiveIntegerField(null=True, blank=True, help_text="of them, from memory")
    glossary_terms = models.PositiveIntegerField(null=True, blank=True, help_text="distinct glossary terms applied")
    # Why the task failed: `error` is the record (in the site's language, for staff and logs),
    # `error_kept` the same sentence as its source text and parameters (lib.messages.keep),
    # rendered in the reader's language by `error_text`.
    error = models.TextField(blank=True)
    error_kept = models.JSONField(default=dict, blank=True)

    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    # sha256 of the creating request (tasks.services.creation.request_digest), so that a key
    # reused with another request is refused rather than answered with this task.
    request_digest = models.CharField(max_length=64, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "translation task"
        verbose_name_plural = "translation tasks"
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="task_idempotency_key_per_user"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_at_most_100"),
        ]
        indexes = [models.Index(fields=["user", "-id"]), models.Index(fields=["status", "heartbeat_at"]),
                   models.Index(fields=["waiting_turn", "user", "id"], name="task_waiting_turn",
                                condition=models.Q(waiting_turn=True))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename} ({self.status})"

    @property
    def message(self) -> str:
        """What the task says about itself, in the active language."""
        from tasks.messages import TASK_MESSAGES

        return TASK_MESSAGES.render(self.message_code, self.message_params)

    @property
    def error_text(self) -> str:
        """Why the task failed, in the active language."""
        return render_kept(self.error_kept) if self.error_kept else self.error

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def can_cancel(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def can_retry(self) -> bool:
        return self.status in (Status.FAILED, Status.CANCELLED)

    @property
    def can_delete(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def result_filename(self) -> str:
        from tasks.documents import HANDLERS

        stem = self.filename.rsplit(".", 1)[0] if "." in self.filename else self.filename
        handler = HANDLERS.get(self.format)
        ext = handler.output_for(self.options.get("output_format")).extension if handler else "txt"
        original = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""
        if handler and ext in handler.extensions and original in handler.extensions:
            ext = original  # same format, its own spelling: .htm stays .htm, a macro workbook .xlsm
        return f"{stem}.{self.target_lang}.{ext}"


class TaskEvent(models.Model):
    """Audit trail of a task's transitions, written inside the same transaction as the change."""

    task = models.ForeignKey(ProcessingTask, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    message = models.CharField(max_length=300, blank=True)
    actor = models.CharField(max_length=100, blank=True, help_text="user, worker, webhook, reaper, staff:<name>")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class WebhookDelivery(models.Model):
    """One signed webhook delivery, kept by its id so a repeat (even days later) is not applied twice."""

    webhook_id = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    task = models.ForeignKey(ProcessingTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.webhook_id} {self.type} → {self.outcome}"
