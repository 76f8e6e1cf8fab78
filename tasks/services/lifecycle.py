"""The task transitions. Every status change happens here, inside a transaction, on a locked row
whose current status is checked first: when a worker, a webhook, the reaper and a user race,
exactly one transition wins and the others see a status they may not leave and do nothing.

Each transition saves the task (bumping `version`), which fires post_save; tasks/signals.py
publishes the new state to the stream bus after commit.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credits import messages as credit_notes
from credits import services as credits
from credits.models import Reservation
from lib.messages import ReadableError, keep, render_kept
from notifications.models import Notification
from notifications.services import notify
from tasks import messages
from tasks.errors import InvalidTransition, TaskNoLongerOurs
from tasks.models import ACTIVE_STATUSES, ProcessingTask, Status, TaskEvent
from tasks.pricing import price, rate_for
from tasks.services.queue import enqueue_with_transaction
from tasks.services.turns import send_turns

logger = logging.getLogger("zhiyi.tasks")


def lock(task_id: int) -> ProcessingTask:
    return ProcessingTask.objects.select_for_update().get(pk=task_id)


def save_transition(task: ProcessingTask, fields: list[str]) -> None:
    task.version += 1
    task.save(update_fields=[*fields, "version", "updated_at"])


def _say(task: ProcessingTask, code: str, **params: object) -> list[str]:
    """Set what the task says about itself (rendered when read); returns the fields to save."""
    task.message_code, task.message_params = code, params
    return ["message_code", "message_params"]


def log_event(task: ProcessingTask, *, actor: str, message: str = "") -> None:
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


def _gave_up(task: ProcessingTask) -> ReadableError:
    return ReadableError(gettext_lazy("Gave up after %(attempts)s attempts: the worker stopped each time."),
                         params={"attempts": task.attempt})


Failure = str | Promise | ReadableError  # free text (an external engine's words) or one of our sentences


def _failure(error: Failure) -> tuple[str, dict]:
    """A failure's record (in the site's language) and its kept sentence (for every reader)."""
    if isinstance(error, ReadableError):
        kept = error.kept()
    elif isinstance(error, Promise):
        kept = keep(error)
    else:
        return str(error), {}
    with translation.override(settings.LANGUAGE_CODE):
        return render_kept(kept), kept


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
    if task.status == Status.QUEUED and task.retry_at is not None and task.retry_at > now:
        return None  # backing off after a retryable failure: the reaper sends it when it is time
    if task.attempt >= settings.ZHIYI_TASK_MAX_ATTEMPTS:
        _fail_locked(task, error=_gave_up(task), actor="worker")
        return None
    task.status = Status.PROCESSING
    task.attempt += 1
    task.run += 1
    task.retry_at = None
    task.heartbeat_at = now
    task.started_at = task.started_at or now
    task.progress = 0
    said = _say(task, messages.STARTING)
    save_transition(task, ["status", "attempt", "run", "retry_at", "heartbeat_at", "started_at", "progress", *said])
    log_event(task, actor="worker", message=f"Attempt {task.attempt}")
    return task


@transaction.atomic
def update_progress(*, task_id: int, run: int, progress: int, done: int, total: int) -> None:
    """Worker: record progress (`done` of `total` segments) and refresh the heartbeat. Raises
    TaskNoLongerOurs when the task was cancelled or failed meanwhile, or another run took it
    over, so the worker stops."""
    task = lock(task_id)
    if task.status != Status.PROCESSING or task.run != run:
        raise TaskNoLongerOurs(task_id)
    task.progress = max(0, min(99, progress))
    task.heartbeat_at = timezone.now()
    said = _say(task, messages.TRANSLATING, done=done, total=total)
    save_transition(task, ["progress", "heartbeat_at", *said])


@transaction.atomic
def wait_for_external(*, task_id: int, run: int, external_id: str, deadline: datetime | None = None) -> None:
    """Worker: the document was handed to an asynchronous engine; the webhook finishes it."""
    task = lock(task_id)
    if task.status != Status.PROCESSING or task.run != run:
        raise TaskNoLongerOurs(task_id)
    task.status = Status.WAITING_EXTERNAL
    task.external_id = external_id
    task.deadline_at = deadline or timezone.now() + timedelta(seconds=settings.ZHIYI_EXTERNAL_DEADLINE_S)
    said = _say(task, messages.WAITING_EXTERNAL)
    save_transition(task, ["status", "external_id", "deadline_at", *said])
    log_event(task, actor="worker", message=f"Submitted as {external_id}")


@transaction.atomic
def update_external_progress(*, task_id: int, external_id: str, progress: int | None, message: str = "") -> bool:
    """Webhook: progress reported by the external engine (its `message` is shown as it came).
    False (no change) when the task no longer waits for that engine; progress never moves
    backwards (events can arrive out of order)."""
    task = lock(task_id)
    if task.status != Status.WAITING_EXTERNAL or task.external_id != external_id:
        return False
    fields: list[str] = []
    if progress is not None and max(0, min(99, progress)) > task.progress:
        task.progress = max(0, min(99, progress))
        fields.append("progress")
    text = message[:300]
    if text and (task.message_code, task.message_params) != (messages.TEXT, {"text": text}):
        fields += _say(task, messages.TEXT, text=text)
    if fields:
        save_transition(task, fields)
    return True


@transaction.atomic
def complete_task(*, task_id: int, result_name: str, characters: int, run: int | None = None,
                  actor: str = "worker", external_id: str | None = None,
                  note: tuple[str, dict] | None = None, reuse: dict[str, int] | None = None) -> bool:
    """Mark done and settle: charge the price of the characters really billed, refund the rest.
    `note` is a message code (tasks/messages.py) and its parameters said instead of "Done" (e.g.
    the output's encoding changed). `reuse`: what memory and the glossary did in the run
    (`segments`, `memory_segments`, `glossary_terms`), saved with the rest. Returns False (and
    changes nothing) when the task is no longer running; the caller then deletes the result file
    it wrote."""
    task = lock(task_id)
    if task.status not in (Status.PROCESSING, Status.WAITING_EXTERNAL):
        return False
    if run is not None and task.run != run:
        return False
    if external_id is not None and task.external_id != external_id:
        return False  # webhook: an event of an earlier round (retry clears external_id)
    actual_cost = price(rate_per_1000=rate_for(task.engine), characters=characters)  # the minimum charge applies
    reservation = current_reservation(task.pk)
    if reservation is not None:
        reservation = credits.settle(reservation_id=reservation.pk, actual_cost=actual_cost)
        task.charged = reservation.charged
    task.status = Status.COMPLETED
    task.result.name = result_name
    task.progress = 100
    task.finished_at = timezone.now()
    said = _say(task, note[0], **note[1]) if note else _say(task, messages.DONE)
    reuse = reuse or {}
    for name, value in reuse.items():
        setattr(task, name, value)
    save_transition(task, ["status", "result", "progress", "finished_at", "charged", *said, *reuse])
    log_event(task, actor=actor, message=f"Charged {task.charged} of {task.cost} reserved")
    notify(user_id=task.user_id, kind=Notification.Kind.TASK_COMPLETED, url=_task_url(task),
           params={"filename": task.filename, "source": task.source_lang, "target": task.target_lang,
                   "charged": task.charged})
    logger.info("task completed", extra={"task_id": task.pk, "user_id": task.user_id, "attempt": task.attempt})
    return True


@transaction.atomic
def back_off_task(*, task_id: int, run: int, error: Failure, delay_s: int) -> bool:
    """Worker: the engine failed in a way a later attempt may not (it was down, overloaded). The
    task goes back to the queue, keeping its reservation, until `delay_s` from now; the reaper
    sends it to a worker then. Past ZHIYI_TASK_MAX_ATTEMPTS it fails and is refunded instead.
    False when this run no longer owns the task."""
    task = lock(task_id)
    if task.status != Status.PROCESSING or task.run != run:
        return False
    if task.attempt >= settings.ZHIYI_TASK_MAX_ATTEMPTS:
        _fail_locked(task, error=error, actor="worker")
        return True
    task.status = Status.QUEUED
    task.heartbeat_at = None
    task.retry_at = timezone.now() + timedelta(seconds=delay_s)
    said = _say(task, messages.RETRYING, seconds=delay_s)
    save_transition(task, ["status", "heartbeat_at", "retry_at", *said])
    log_event(task, actor="worker", message=f"Retry in {delay_s} s: {_failure(error)[0]}")
    return True


@transaction.atomic
def hand_back_task(*, task_id: int, run: int) -> bool:
    """Worker: the worker process was told to stop in the middle of this run. The task goes
    back to the queue (same round and reservation) and another worker takes it at once; the
    interrupted run counts as an attempt. False when this run no longer owns the task."""
    task = lock(task_id)
    if task.status != Status.PROCESSING or task.run != run:
        return False
    task.status = Status.QUEUED
    task.heartbeat_at = None
    said = _say(task, messages.REQUEUED)
    save_transition(task, ["status", "heartbeat_at", *said])
    log_event(task, actor="worker", message="Handed back: the worker was stopped")
    enqueue_with_transaction(task.pk)
    return True


@transaction.atomic
def send_queued_again(*, task_id: int, lost_before: datetime, actor: str = "reaper") -> bool:
    """Reaper: a queued task without a job gets one again — one backing off whose time has
    come, or one whose job is gone (a worker failed before it could claim it, e.g. the database
    was down) and that has not moved since `lost_before`. Harmless if the job was not lost after
    all: the claim turns a second delivery into a no-op."""
    task = lock(task_id)
    now = timezone.now()
    if task.status != Status.QUEUED:
        return False
    if task.retry_at is not None:
        if task.retry_at > now:
            return False
    elif task.updated_at >= lost_before:
        return False
    task.retry_at = None
    save_transition(task, ["retry_at"])
    log_event(task, actor=actor, message="Sent to a worker again")
    enqueue_with_transaction(task.pk)
    return True


def _fail_locked(task: ProcessingTask, *, error: Failure, actor: str) -> None:
    record, kept = _failure(error)
    reservation = current_reservation(task.pk)
    if reservation is not None:
        credits.refund(reservation_id=reservation.pk, reason=f"Task failed: {record}"[:300],
                       note_code=credit_notes.TASK_FAILED)
    task.status = Status.FAILED
    task.error, task.error_kept = record, kept
    task.finished_at = timezone.now()
    said = _say(task, messages.FAILED)
    save_transition(task, ["status", "error", "error_kept", "finished_at", *said])
    log_event(task, actor=actor, message=record)
    notify(user_id=task.user_id, kind=Notification.Kind.TASK_FAILED, url=_task_url(task),
           params={"filename": task.filename, "error": kept or record})
    logger.warning("task failed", extra={"task_id": task.pk, "user_id": task.user_id, "attempt": task.attempt})


@transaction.atomic
def fail_task(*, task_id: int, error: Failure, run: int | None = None, actor: str = "worker",
              external_id: str | None = None) -> bool:
    """Mark failed and refund the reservation. False when the task had already ended (or, with
    `run`, when another run owns it now)."""
    task = lock(task_id)
    if task.status not in ACTIVE_STATUSES:
        return False
    if run is not None and task.run != run:
        return False
    if external_id is not None and task.external_id != external_id:
        return False
    _fail_locked(task, error=error, actor=actor)
    return True


@transaction.atomic
def cancel_task(*, task_id: int, actor: str = "user") -> ProcessingTask:
    """Stop a task that has not ended and refund it. A running worker notices at its next
    progress step (update_progress raises) and stops. Cancelled by staff, the owner is told."""
    task = lock(task_id)
    if task.status not in ACTIVE_STATUSES:
        raise InvalidTransition(_("This translation has already ended; it cannot be cancelled."))
    by_staff = actor.startswith("staff:")  # the owner reads "stopped by staff", never who
    reservation = current_reservation(task.pk)
    if reservation is not None:
        credits.refund(reservation_id=reservation.pk, reason="Task cancelled",
                       note_code=credit_notes.TASK_STOPPED_BY_STAFF if by_staff else credit_notes.TASK_CANCELLED)
    task.status = Status.CANCELLED
    task.finished_at = timezone.now()
    said = _say(task, messages.STOPPED_BY_STAFF if by_staff else messages.CANCELLED)
    save_transition(task, ["status", "finished_at", *said])
    log_event(task, actor=actor)
    if not task.waiting_turn:  # it held one of its user's turns: the next waiting task takes it
        send_turns(user_id=task.user_id)
    if by_staff:
        notify(user_id=task.user_id, kind=Notification.Kind.TASK_CANCELLED, url=_task_url(task),
               params={"filename": task.filename})
    return task


def delete_task(*, task_id: int) -> None:
    """Delete an ended task and its files. Its ledger entries stay (task reference nulled)."""
    with transaction.atomic():
        task = lock(task_id)
        if task.status in ACTIVE_STATUSES:
            raise InvalidTransition(_("This translation is still running; cancel it before deleting it."))
        names = [f.name for f in (task.original, task.result) if f]
        task.delete()
    for name in names:  # after commit: a failed delete must not leave a row without its file
        default_storage.delete(name)


@transaction.atomic
def expire_external_task(*, task_id: int, actor: str = "reaper") -> bool:
    """Reaper: a task still waiting for its external engine past the deadline fails (refunded)."""
    task = lock(task_id)
    if task.status != Status.WAITING_EXTERNAL or task.deadline_at is None or task.deadline_at > timezone.now():
        return False
    _fail_locked(task, error=gettext_lazy("The external engine did not answer before the deadline."), actor=actor)
    return True


@transaction.atomic
def requeue_stale(*, task_id: int, actor: str = "reaper") -> bool:
    """Reaper: a processing task whose heartbeat went stale goes back to the queue (the
    attempt limit is enforced by claim_task), so another worker picks it up."""
    task = lock(task_id)
    stale_before = timezone.now() - timedelta(seconds=settings.ZHIYI_HEARTBEAT_STALE_S)
    if task.status != Status.PROCESSING or (task.heartbeat_at and task.heartbeat_at >= stale_before):
        return False
    if task.attempt >= settings.ZHIYI_TASK_MAX_ATTEMPTS:
        _fail_locked(task, error=_gave_up(task), actor=actor)
        return True
    task.status = Status.QUEUED
    task.heartbeat_at = None
    said = _say(task, messages.REQUEUED)
    save_transition(task, ["status", "heartbeat_at", *said])
    log_event(task, actor=actor, message="Heartbeat stale")
    enqueue_with_transaction(task.pk)
    return True
