"""The task actions. Every status change happens here, inside a transaction, on a locked row
whose current status is checked first: when a worker, a webhook, the reaper and a user race,
exactly one transition wins and the others see a status they may not leave and do nothing.

Each transition saves the task (bumping `version`), which fires post_save; tasks/signals.py
publishes the new state to the stream bus after commit.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone

from credits import services as credits
from credits.models import Reservation
from notifications.models import Notification
from notifications.services import notify
from tasks import documents, engines
from tasks.errors import FileTooLarge, InvalidInput, InvalidTransition, TaskNoLongerOurs, UnsupportedMedia
from tasks.models import ACTIVE_STATUSES, TERMINAL_STATUSES, ProcessingTask, Status, TaskEvent
from tasks.pricing import price, rate_for
from tasks.translation import billing_plan, linguistic_assets

logger = logging.getLogger("zhiyi.tasks")


# --- Quoting and creating -----------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    format: str
    characters: int  # all billable characters of the document
    cost: int
    segments: int
    layout_note: str = ""
    memory_characters: int = 0  # of `characters`, found in the user's translation memory
    billed_characters: int = 0  # what the engine is paid for: distinct segments not in memory


def check_engine(*, engine_name: str, source_lang: str, target_lang: str) -> engines.Engine:
    try:
        engine = engines.get_engine(engine_name)
    except engines.UnknownEngine:
        raise InvalidInput(f"Unknown engine {engine_name!r}.", code="unknown_engine") from None
    availability = engine.availability()
    if not availability.available:
        raise InvalidInput(f"The {engine.name} engine is not available: {availability.reason}",
                           code="engine_unavailable")
    if not engine.supports(source_lang, target_lang):
        raise InvalidInput(f"The {engine.name} engine does not translate {source_lang} → {target_lang}.",
                           code="unsupported_language_pair")
    return engine


def read_upload(upload: UploadedFile | None) -> bytes:
    if upload is None:
        raise InvalidInput("No file was sent.", code="no_file")
    limit = settings.ZHIYI_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise FileTooLarge(f"The file is {upload.size / 1048576:.1f} MB; the limit is {settings.ZHIYI_MAX_UPLOAD_MB} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"The file is larger than the {settings.ZHIYI_MAX_UPLOAD_MB} MB limit.")
    if not data:
        raise InvalidInput("The file is empty.", code="empty_file")
    return data


def quote_document(*, filename: str, data: bytes, engine: engines.Engine, user_id: int | None = None,
                   source_lang: str = "", target_lang: str = "", glossary_id: int | None = None) -> Quote:
    """Parse the upload the way the worker will and price it, counting what the user's translation
    memory already holds. Raises TaskError subclasses."""
    try:
        handler = documents.detect(filename, data)
    except documents.UnsupportedFormat as exc:
        raise UnsupportedMedia(str(exc)) from None
    try:
        document = handler.parse(data)
    except documents.DocumentError as exc:
        raise InvalidInput(str(exc), code=exc.code) from None
    characters = document.characters
    if characters == 0:
        raise InvalidInput("The document contains no text to translate.", code="no_text")
    memory = None
    if user_id is not None and not engine.asynchronous:
        memory, _ = _assets(user_id=user_id, engine_name=engine.name, source_lang=source_lang,
                            target_lang=target_lang, glossary_id=glossary_id)
    billed, from_memory = billing_plan(document.segments, memory) if memory else (characters, 0)
    return Quote(format=handler.format, characters=characters, segments=len(document.segments),
                 cost=price(rate_per_1000=engine.rate_per_1000, characters=billed),
                 layout_note=handler.layout_note, memory_characters=from_memory, billed_characters=billed)


def _assets(*, user_id: int, engine_name: str, source_lang: str, target_lang: str, glossary_id: int | None):  # type: ignore[no-untyped-def]
    from memory.services import GlossaryError

    try:
        return linguistic_assets(user_id=user_id, engine_name=engine_name, source=source_lang, target=target_lang,
                                 glossary_id=glossary_id)
    except GlossaryError as exc:
        raise InvalidInput(str(exc), code=exc.code) from None


def create_task(*, user_id: int, upload: UploadedFile | None, engine_name: str, source_lang: str,
                target_lang: str, options: dict | None = None, idempotency_key: str | None = None) -> ProcessingTask:
    """Validate and price the upload, store it, reserve the cost and queue the work.

    The file is written before the transaction (no I/O while rows are locked) and removed again
    if anything after it fails, so a refused upload leaves no orphan file or row."""
    if idempotency_key:
        existing = ProcessingTask.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    engine = check_engine(engine_name=engine_name, source_lang=source_lang, target_lang=target_lang)
    data = read_upload(upload)
    filename = _clean_filename(upload.name or "document")
    options = options or {}
    quote = quote_document(filename=filename, data=data, engine=engine, user_id=user_id, source_lang=source_lang,
                           target_lang=target_lang, glossary_id=options.get("glossary_id"))

    task = ProcessingTask(
        user_id=user_id, engine=engine.name, source_lang=source_lang, target_lang=target_lang,
        format=quote.format, options=options, filename=filename, size=len(data),
        characters=quote.characters, cost=quote.cost, idempotency_key=idempotency_key or None,
        message="Queued",
    )
    task.original.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            task.save()
            credits.reserve(user_id=user_id, task_id=task.pk, number=1, amount=quote.cost)
            _log_event(task, actor="user", message="Created")
            enqueue_with_transaction(task.pk)
    except IntegrityError:
        default_storage.delete(task.original.name)
        existing = ProcessingTask.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()
        if idempotency_key and existing is not None:
            return existing  # a double click that raced us: the first request's task
        raise
    except BaseException:
        default_storage.delete(task.original.name)
        raise
    logger.info("task created", extra={"task_id": task.pk, "user_id": user_id, "cost": task.cost})
    return task


def _clean_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def enqueue(task_id: int) -> None:
    """Hand the task to a worker now (see enqueue_with_transaction for when)."""
    from django_q.tasks import async_task

    async_task("tasks.processor.run_task", task_id, task_name=f"translate-{task_id}", group="translate")


def enqueue_with_transaction(task_id: int) -> None:
    """Queue the job so that it exists exactly when the task row does.

    With django-q2's ORM broker on our own database, the job row is written inside the current
    transaction: it becomes visible to workers at the same commit as the task, and a process that
    dies right after the commit loses nothing (it also saves a write). Any other broker (Redis,
    another database) cannot join our transaction, so the job is sent after commit; the in-process
    sync mode of tests also runs after commit."""
    from django_q.conf import Conf

    if not Conf.SYNC and Conf.ORM == DEFAULT_DB_ALIAS and transaction.get_connection().in_atomic_block:
        enqueue(task_id)
    else:
        transaction.on_commit(lambda: enqueue(task_id))


# --- Transitions ---------------------------------------------------------------------------

def _lock(task_id: int) -> ProcessingTask:
    return ProcessingTask.objects.select_for_update().get(pk=task_id)


def _save(task: ProcessingTask, fields: list[str]) -> None:
    task.version += 1
    task.save(update_fields=[*fields, "version", "updated_at"])


def _log_event(task: ProcessingTask, *, actor: str, message: str = "") -> None:
    TaskEvent.objects.create(task=task, status=task.status, actor=actor[:100], message=message[:300])
    # Every transition passes here: one structured log line each (JSON with LOG_FORMAT=json).
    duration = (task.finished_at - task.started_at).total_seconds() if task.finished_at and task.started_at else None
    logger.info("task %s: %s", task.pk, task.status, extra={
        "task_id": task.pk, "user_id": task.user_id, "status": task.status, "attempt": task.attempt,
        "actor": actor, "event": message[:300], "duration": duration})


def current_reservation(task_id: int) -> Reservation | None:
    return Reservation.objects.filter(task_ref=task_id).order_by("-number").first()


def _task_url(task: ProcessingTask) -> str:
    return f"/tasks/{task.pk}/"


@transaction.atomic
def claim_task(*, task_id: int) -> ProcessingTask | None:
    """Worker: take a queued task (or one whose previous run died: heartbeat gone stale).
    Returns None when there is nothing to do: another run has it, or it already ended."""
    task = ProcessingTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        return None
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.ZHIYI_HEARTBEAT_STALE_S)
    abandoned = task.status == Status.PROCESSING and (task.heartbeat_at is None or task.heartbeat_at < stale_before)
    if task.status != Status.QUEUED and not abandoned:
        return None
    if task.attempt >= settings.ZHIYI_TASK_MAX_ATTEMPTS:
        _fail_locked(task, error=f"Gave up after {task.attempt} attempts: the worker stopped each time.",
                     actor="worker")
        return None
    task.status = Status.PROCESSING
    task.attempt += 1
    task.heartbeat_at = now
    task.started_at = task.started_at or now
    task.progress = 0
    task.message = "Starting"
    _save(task, ["status", "attempt", "heartbeat_at", "started_at", "progress", "message"])
    _log_event(task, actor="worker", message=f"Attempt {task.attempt}")
    return task


@transaction.atomic
def update_progress(*, task_id: int, attempt: int, progress: int, message: str) -> None:
    """Worker: record progress and refresh the heartbeat. Raises TaskNoLongerOurs when the task
    was cancelled or failed meanwhile, or another run took it over, so the worker stops."""
    task = _lock(task_id)
    if task.status != Status.PROCESSING or task.attempt != attempt:
        raise TaskNoLongerOurs(task_id)
    task.progress = max(0, min(99, progress))
    task.message = message[:300]
    task.heartbeat_at = timezone.now()
    _save(task, ["progress", "message", "heartbeat_at"])


@transaction.atomic
def wait_for_external(*, task_id: int, attempt: int, external_id: str, deadline: datetime | None = None) -> None:
    """Worker: the document was handed to an asynchronous engine; the webhook finishes it."""
    task = _lock(task_id)
    if task.status != Status.PROCESSING or task.attempt != attempt:
        raise TaskNoLongerOurs(task_id)
    task.status = Status.WAITING_EXTERNAL
    task.external_id = external_id
    task.deadline_at = deadline or timezone.now() + timedelta(seconds=settings.ZHIYI_EXTERNAL_DEADLINE_S)
    task.message = "Waiting for the external engine"
    _save(task, ["status", "external_id", "deadline_at", "message"])
    _log_event(task, actor="worker", message=f"Submitted as {external_id}")


@transaction.atomic
def update_external_progress(*, task_id: int, external_id: str, progress: int | None, message: str = "") -> bool:
    """Webhook: progress reported by the external engine. False (no change) when the task no
    longer waits for that engine; progress never moves backwards (events can arrive out of order)."""
    task = _lock(task_id)
    if task.status != Status.WAITING_EXTERNAL or task.external_id != external_id:
        return False
    fields: list[str] = []
    if progress is not None and max(0, min(99, progress)) > task.progress:
        task.progress = max(0, min(99, progress))
        fields.append("progress")
    if message and message[:300] != task.message:
        task.message = message[:300]
        fields.append("message")
    if fields:
        _save(task, fields)
    return True


@transaction.atomic
def complete_task(*, task_id: int, result_name: str, characters: int, attempt: int | None = None,
                  actor: str = "worker", external_id: str | None = None) -> bool:
    """Mark done and settle: charge the price of the characters really billed, refund the rest.
    Returns False (and changes nothing) when the task is no longer running; the caller then
    deletes the result file it wrote."""
    task = _lock(task_id)
    if task.status not in (Status.PROCESSING, Status.WAITING_EXTERNAL):
        return False
    if attempt is not None and task.attempt != attempt:
        return False
    if external_id is not None and task.external_id != external_id:
        return False  # webhook: an event of an earlier round (retry_task clears external_id)
    actual_cost = price(rate_per_1000=rate_for(task.engine), characters=characters)  # the minimum charge applies
    reservation = current_reservation(task.pk)
    if reservation is not None:
        reservation = credits.settle(reservation_id=reservation.pk, actual_cost=actual_cost)
        task.charged = reservation.charged
    task.status = Status.COMPLETED
    task.result.name = result_name
    task.progress = 100
    task.message = "Done"
    task.finished_at = timezone.now()
    _save(task, ["status", "result", "progress", "message", "finished_at", "charged"])
    _log_event(task, actor=actor, message=f"Charged {task.charged} of {task.cost} reserved")
    notify(user_id=task.user_id, kind=Notification.Kind.TASK_COMPLETED, url=_task_url(task),
           title=f"Translated: {task.filename}",
           body=f"{task.source_lang} → {task.target_lang}, {task.charged} points charged.")
    logger.info("task completed", extra={"task_id": task.pk, "user_id": task.user_id, "attempt": task.attempt})
    return True


def _fail_locked(task: ProcessingTask, *, error: str, actor: str) -> None:
    reservation = current_reservation(task.pk)
    if reservation is not None:
        credits.refund(reservation_id=reservation.pk, reason=f"Task failed: {error}"[:300])
    task.status = Status.FAILED
    task.error = error
    task.message = "Failed"
    task.finished_at = timezone.now()
    _save(task, ["status", "error", "message", "finished_at"])
    _log_event(task, actor=actor, message=error)
    notify(user_id=task.user_id, kind=Notification.Kind.TASK_FAILED, url=_task_url(task),
           title=f"Translation failed: {task.filename}", body=f"{error} The reserved points were refunded.")
    logger.warning("task failed", extra={"task_id": task.pk, "user_id": task.user_id, "attempt": task.attempt})


@transaction.atomic
def fail_task(*, task_id: int, error: str, attempt: int | None = None, actor: str = "worker",
              external_id: str | None = None) -> bool:
    """Mark failed and refund the reservation. False when the task had already ended (or, with
    `attempt`, when another run owns it now)."""
    task = _lock(task_id)
    if task.status not in ACTIVE_STATUSES:
        return False
    if attempt is not None and task.attempt != attempt:
        return False
    if external_id is not None and task.external_id != external_id:
        return False
    _fail_locked(task, error=error, actor=actor)
    return True


@transaction.atomic
def cancel_task(*, task_id: int, actor: str = "user") -> ProcessingTask:
    """Stop a task that has not ended and refund it. A running worker notices at its next
    progress step (update_progress raises) and stops."""
    task = _lock(task_id)
    if task.status not in ACTIVE_STATUSES:
        raise InvalidTransition(f"A {task.status} task cannot be cancelled.")
    reservation = current_reservation(task.pk)
    if reservation is not None:
        credits.refund(reservation_id=reservation.pk, reason="Task cancelled")
    task.status = Status.CANCELLED
    task.message = "Cancelled"
    task.finished_at = timezone.now()
    _save(task, ["status", "message", "finished_at"])
    _log_event(task, actor=actor)
    return task


@transaction.atomic
def retry_task(*, task_id: int, actor: str = "user") -> ProcessingTask:
    """Run a failed or cancelled task again under a new reservation (raises InsufficientCredits)."""
    task = _lock(task_id)
    if task.status not in (Status.FAILED, Status.CANCELLED):
        raise InvalidTransition(f"A {task.status} task cannot be retried.")
    if not task.original:
        raise InvalidTransition("The original file was deleted after the retention period; upload it again.")
    previous = current_reservation(task.pk)
    number = (previous.number if previous else 0) + 1
    task.cost = price(rate_per_1000=rate_for(task.engine), characters=task.characters)
    credits.reserve(user_id=task.user_id, task_id=task.pk, number=number, amount=task.cost)
    task.status = Status.QUEUED
    task.attempt = 0
    task.progress = 0
    task.message = "Queued"
    task.error = ""
    task.charged = 0
    task.external_id = None
    task.deadline_at = None
    task.heartbeat_at = None
    task.finished_at = None
    _save(task, ["status", "attempt", "progress", "message", "error", "charged", "cost", "external_id",
                 "deadline_at", "heartbeat_at", "finished_at"])
    _log_event(task, actor=actor, message=f"Retry, reservation #{number}")
    enqueue_with_transaction(task.pk)
    return task


def delete_task(*, task_id: int) -> None:
    """Delete an ended task and its files. Its ledger entries stay (task reference nulled)."""
    with transaction.atomic():
        task = _lock(task_id)
        if task.status in ACTIVE_STATUSES:
            raise InvalidTransition(f"A {task.status} task cannot be deleted; cancel it first.")
        names = [f.name for f in (task.original, task.result) if f]
        task.delete()
    for name in names:  # after commit: a failed delete must not leave a row without its file
        default_storage.delete(name)


@transaction.atomic
def expire_external_task(*, task_id: int, actor: str = "reaper") -> bool:
    """Reaper: a task still waiting for its external engine past the deadline fails (refunded)."""
    task = _lock(task_id)
    if task.status != Status.WAITING_EXTERNAL or task.deadline_at is None or task.deadline_at > timezone.now():
        return False
    _fail_locked(task, error="The external engine did not answer before the deadline.", actor=actor)
    return True


@transaction.atomic
def requeue_stale(*, task_id: int, actor: str = "reaper") -> bool:
    """Reaper: a processing task whose heartbeat went stale goes back to the queue (the
    attempt limit is enforced by claim_task), so another worker picks it up."""
    task = _lock(task_id)
    stale_before = timezone.now() - timedelta(seconds=settings.ZHIYI_HEARTBEAT_STALE_S)
    if task.status != Status.PROCESSING or (task.heartbeat_at and task.heartbeat_at >= stale_before):
        return False
    if task.attempt >= settings.ZHIYI_TASK_MAX_ATTEMPTS:
        _fail_locked(task, error=f"Gave up after {task.attempt} attempts: the worker stopped each time.",
                     actor=actor)
        return True
    task.status = Status.QUEUED
    task.message = "Requeued after the worker stopped"
    task.heartbeat_at = None
    _save(task, ["status", "message", "heartbeat_at"])
    _log_event(task, actor=actor, message="Heartbeat stale")
    enqueue_with_transaction(task.pk)
    return True


# --- Retention -------------------------------------------------------------------------------

def purge_task_files(*, older_than: timedelta | None = None, limit: int = 1000) -> list[int]:
    """Retention: delete the original and result files of tasks that ended more than
    `older_than` (default ZHIYI_RETENTION_DAYS) ago. The rows stay, with their money history
    and events; each purge is one event. Returns the ids purged (at most `limit` per call)."""
    from django.db.models import Q

    cutoff = timezone.now() - (older_than if older_than is not None
                               else timedelta(days=settings.ZHIYI_RETENTION_DAYS))
    ended = Q(finished_at__lt=cutoff) | Q(finished_at=None, created_at__lt=cutoff)
    candidates = (ProcessingTask.objects.filter(ended, status__in=TERMINAL_STATUSES)
                  .filter(~Q(original="") | ~Q(result="")).order_by("pk").values_list("pk", flat=True)[:limit])
    purged: list[int] = []
    for task_id in list(candidates):
        names: list[str] = []
        with transaction.atomic():
            task = ProcessingTask.objects.select_for_update().filter(pk=task_id).first()
            if task is None or task.status not in TERMINAL_STATUSES:
                continue  # deleted or retried meanwhile
            names = [f.name for f in (task.original, task.result) if f]
            if not names:
                continue
            task.original.name, task.result.name = "", ""
            _save(task, ["original", "result"])
            _log_event(task, actor="retention", message=f"Files deleted after {cutoff:%Y-%m-%d} retention cut-off")
        for name in names:  # after commit, like delete_task: never a row pointing at a missing file
            default_storage.delete(name)
        purged.append(task_id)
    return purged
