"""Starting work that costs points: a new task, or a new round of a failed or cancelled one.

Both are priced by one rule (tasks.services.quotes: what the engine will be paid for, after
translation memory), and both reserve the cost and queue the job in one transaction. Files are
read before the transaction (no I/O while rows are locked)."""
from __future__ import annotations

import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credits import services as credits
from tasks import engines, messages
from tasks.errors import IdempotencyKeyReused, InvalidTransition
from tasks.models import ProcessingTask, Status
from tasks.services.lifecycle import current_reservation, lock, log_event, save_transition
from tasks.services.queue import enqueue_with_transaction
from tasks.services.quotes import check_engine, quote_document, read_upload

logger = logging.getLogger("zhiyi.tasks")


def create_task(*, user_id: int, upload: UploadedFile | None, engine_name: str, source_lang: str,
                target_lang: str, options: dict | None = None, idempotency_key: str | None = None) -> ProcessingTask:
    """Validate and price the upload, store it, reserve the cost and queue the work.

    The file is written before the transaction and removed again if anything after it fails, so
    a refused upload leaves no orphan file or row. With an idempotency key, the same request
    again (a double click, a client retrying after a lost answer) returns the first request's
    task, marked `replayed`; a different request under a used key raises IdempotencyKeyReused."""
    options = options or {}
    data = digest = None
    if idempotency_key:
        data = read_upload(upload)
        digest = request_digest(engine_name=engine_name, source_lang=source_lang, target_lang=target_lang,
                                options=options, filename=clean_filename(upload.name or "document"),  # type: ignore[union-attr]
                                data=data)
        existing = _replay(user_id=user_id, idempotency_key=idempotency_key, digest=digest)
        if existing is not None:
            return existing
    engine = check_engine(engine_name=engine_name, source_lang=source_lang, target_lang=target_lang, options=options)
    if data is None:
        data = read_upload(upload)
    filename = clean_filename(upload.name or "document")  # type: ignore[union-attr]
    quote = quote_document(filename=filename, data=data, engine=engine, user_id=user_id, source_lang=source_lang,
                           target_lang=target_lang, glossary_id=options.get("glossary_id"),
                           output_format=options.get("output_format", ""))

    task = ProcessingTask(
        user_id=user_id, engine=engine.name, source_lang=source_lang, target_lang=target_lang,
        format=quote.format, options=options, filename=filename, size=len(data),
        characters=quote.characters, cost=quote.cost, idempotency_key=idempotency_key or None,
        request_digest=digest or "", message_code=messages.QUEUED,
    )
    task.original.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            task.save()
            credits.reserve(user_id=user_id, task_id=task.pk, number=1, amount=quote.cost)
            log_event(task, actor="user", message="Created")
            enqueue_with_transaction(task.pk)
    except IntegrityError:
        default_storage.delete(task.original.name)
        if idempotency_key:  # a double click that raced us: the first request's task (or 422)
            existing = _replay(user_id=user_id, idempotency_key=idempotency_key, digest=digest or "")
            if existing is not None:
                return existing
        raise
    except BaseException:
        default_storage.delete(task.original.name)
        raise
    logger.info("task created", extra={"task_id": task.pk, "user_id": user_id, "cost": task.cost})
    return task


def request_digest(*, engine_name: str, source_lang: str, target_lang: str, options: dict, filename: str,
                   data: bytes) -> str:
    """What makes two creation requests "the same request" for an idempotency key: every
    parameter and the file's bytes (Stripe's rule: a key is bound to its first request)."""
    params = json.dumps({"engine": engine_name, "source_lang": source_lang, "target_lang": target_lang,
                         "options": options, "filename": filename}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(params.encode() + b"\0" + hashlib.sha256(data).digest()).hexdigest()


def _replay(*, user_id: int, idempotency_key: str, digest: str) -> ProcessingTask | None:
    existing = ProcessingTask.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    # Tasks created before digests were kept have none: the key alone decides, as it did then.
    if existing.request_digest and existing.request_digest != digest:
        raise IdempotencyKeyReused(_("This Idempotency-Key was already used with a different request."))
    existing.replayed = True  # type: ignore[attr-defined]
    return existing


def clean_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def retry_task(*, task_id: int, actor: str = "user") -> ProcessingTask:
    """Run a failed or cancelled task again under a new reservation, priced like a creation
    (raises InsufficientCredits, InvalidTransition)."""
    task = ProcessingTask.objects.get(pk=task_id)
    _check_retryable(task)
    with task.original.open("rb") as handle:  # before the transaction: no I/O under the lock
        data = handle.read()
    engine = engines.get_engine(task.engine, task.options)
    cost = quote_document(filename=task.filename, data=data, engine=engine, user_id=task.user_id,
                          source_lang=task.source_lang, target_lang=task.target_lang,
                          glossary_id=task.options.get("glossary_id"),
                          output_format=task.options.get("output_format", "")).cost
    return _queue_next_round(task_id=task_id, cost=cost, actor=actor)


def _check_retryable(task: ProcessingTask) -> None:
    if task.status not in (Status.FAILED, Status.CANCELLED):
        raise InvalidTransition(f"A {task.status} task cannot be retried.")
    if not task.original:
        raise InvalidTransition("The original file was deleted after the retention period; upload it again.")


@transaction.atomic
def _queue_next_round(*, task_id: int, cost: int, actor: str) -> ProcessingTask:
    task = lock(task_id)
    _check_retryable(task)  # again, under the lock: a concurrent retry or purge may have won
    previous = current_reservation(task.pk)
    number = (previous.number if previous else 0) + 1
    task.cost = cost
    credits.reserve(user_id=task.user_id, task_id=task.pk, number=number, amount=task.cost)
    task.status = Status.QUEUED
    task.attempt = 0
    task.progress = 0
    task.message_code, task.message_params = messages.QUEUED, {}
    task.error = ""
    task.charged = 0
    task.external_id = None
    task.deadline_at = None
    task.heartbeat_at = None
    task.retry_at = None
    task.finished_at = None
    task.waiting_turn = False  # sent at once, like a new single task
    save_transition(task, ["status", "attempt", "progress", "message_code", "message_params", "error", "charged",
                           "cost", "external_id", "deadline_at", "heartbeat_at", "retry_at", "finished_at",
                           "waiting_turn"])
    log_event(task, actor=actor, message=f"Retry, reservation #{number}")
    enqueue_with_transaction(task.pk)
    return task
