"""POST /api/tasks/webhook/: external engines report progress, results and failures here.

Money moves on what this endpoint accepts, so:
- the body size is checked first (413), then the Standard Webhooks signature (tasks/signing.py;
  400 malformed headers, 401 not authentic); nothing is read from an unsigned body;
- every signed delivery gets a `WebhookDelivery` row keyed by its webhook id (unique), kept for
  good: a repeat, even days later with a fresh timestamp, is acknowledged (200) and not applied;
- status and credits change only through tasks.services, whose locked, state-checked
  transitions make a repeat, a late event or a race (completed vs failed, 20 copies at once)
  resolve to exactly one outcome;
- a result is downloaded and stored before any transaction is opened, and deleted again when
  the task had already ended.
Never 410: Standard Webhooks senders disable an endpoint that answers it.

Delivery rows move `processing` → one final outcome. `unknown_task` (the callback may overtake the
worker's own commit of the external id) and `error` (an unexpected failure, answered 500) are
not final: the sender retries and the retry is applied. A row left `processing` by a process
that died is taken over after a lease.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from tasks import services
from tasks.models import ProcessingTask, Status, WebhookDelivery, _result_path
from tasks.services.quotes import max_upload_bytes
from tasks.webhooks import signing

logger = logging.getLogger("zhiyi.webhook")

EVENT_TYPES = ("task.progress", "task.completed", "task.failed")

# WebhookDelivery.outcome values.
PROCESSING = "processing"
APPLIED = "applied"          # the task moved (or its progress did)
IGNORED = "ignored"          # valid, but the task had already ended or moved on: no change
TASK_FAILED = "result_refused"  # completed, but the result was unusable: the task failed, refunded
INVALID = "invalid"          # signed but malformed (400)
UNKNOWN_TASK = "unknown_task"   # 404, retryable
ERROR = "error"              # 500, retryable
RETRYABLE = (UNKNOWN_TASK, ERROR)


class Rejected(Exception):
    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Event:
    type: str
    external_id: str
    progress: int | None = None
    message: str = ""
    result_url: str = ""
    result_base64: str = ""
    characters: int | None = None
    error: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


# --- Parsing -------------------------------------------------------------------------------

def parse_event(body: bytes) -> Event:
    """The event in a signed body. Raises Rejected (400) for anything malformed."""
    try:
        payload = json.loads(body, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise Rejected("The body is not valid JSON.", status=400, code="malformed_body") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise Rejected('The body must be {"type": ..., "data": {...}}.', status=400, code="malformed_body")
    kind, data = payload.get("type"), payload["data"]
    if kind not in EVENT_TYPES:
        raise Rejected(f"Unknown event type; expected one of {', '.join(EVENT_TYPES)}.", status=400,
                       code="unknown_type")
    external_id = data.get("external_task_id")
    if not isinstance(external_id, str) or not 0 < len(external_id) <= 200:
        raise Rejected("data.external_task_id must be a non-empty string.", status=400, code="malformed_body")
    event = Event(type=kind, external_id=external_id, progress=_number(data, "progress", 0, 100),
                  message=_text(data, "message", 300), result_url=_text(data, "result_url", 2000),
                  result_base64=_text(data, "result_base64", None),
                  characters=_number(data, "characters", 0, 2**31 - 1), error=_text(data, "error", 1000))
    if kind == "task.completed" and bool(event.result_url) == bool(event.result_base64):
        raise Rejected("A task.completed event needs exactly one of result_url and result_base64.",
                       status=400, code="malformed_body")
    return event


def _no_constants(name: str) -> None:
    raise ValueError(name)  # NaN / Infinity are not JSON


def _number(data: dict, key: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise Rejected(f"data.{key} must be a number from {low} to {high}.", status=400, code="malformed_body")
    return int(value)


def _text(data: dict, key: str, limit: int | None) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Rejected(f"data.{key} must be a string.", status=400, code="malformed_body")
    return value[:limit] if limit else value


# --- Deliveries ----------------------------------------------------------------------------

def _lease() -> timedelta:
    # Longer than any result download (4 × the HTTP timeout is its total deadline).
    return timedelta(seconds=4 * settings.ZHIYI_HTTP_TIMEOUT_S + 60)


def claim_delivery(*, webhook_id: str) -> tuple[WebhookDelivery | None, str]:
    """Take this delivery id for processing. Returns (row, "") when this request must apply it,
    or (None, outcome of the earlier delivery) for a repeat that must not be applied again.

    The unique webhook_id decides between concurrent copies: one INSERT wins, the others see
    its row. A retryable or abandoned row is taken over with a compare-and-swap UPDATE, so two
    retries cannot both take it."""
    try:
        with transaction.atomic():
            return WebhookDelivery.objects.create(webhook_id=webhook_id, outcome=PROCESSING), ""
    except IntegrityError:
        pass
    row = WebhookDelivery.objects.get(webhook_id=webhook_id)
    now = timezone.now()
    abandoned = row.outcome == PROCESSING and row.received_at < now - _lease()
    if row.outcome in RETRYABLE or abandoned:
        taken = WebhookDelivery.objects.filter(pk=row.pk, outcome=row.outcome, received_at=row.received_at) \
            .update(outcome=PROCESSING, received_at=now, error="")
        if taken:
            row.outcome, row.received_at, row.error = PROCESSING, now, ""
            return row, ""
        row.refresh_from_db()
    return None, row.outcome


def _finish(row: WebhookDelivery, *, outcome: str, error: str = "", event: Event | None = None,
            task: ProcessingTask | None = None) -> None:
    row.outcome, row.error = outcome, error[:2000]
    if event is not None:
        row.type, row.external_id = event.type, event.external_id
    if task is not None:
        row.task = task
    row.save(update_fields=["outcome", "error", "type", "external_id", "task"])


# --- Applying an event ---------------------------------------------------------------------

@dataclass(frozen=True)
class Download:
    """A task.completed event whose result is at a URL: verified, recorded and checked, waiting
    for the download, which the async view does in the event loop before `finish_download`."""
    row: WebhookDelivery
    event: Event
    task: ProcessingTask


def receive_webhook(*, body: bytes, headers: dict[str, str]) -> Answer | Download:
    """Verify, record and apply one delivery. Never raises for bad input: returns the answer,
    or a Download for the caller to fetch and hand to `finish_download`."""
    try:
        secrets = signing.parse_secrets(settings.ZHIYI_WEBHOOK_SECRET)
    except ValueError:
        secrets = []
    if not secrets:  # a system check makes this an error in production
        return error_answer(503, "The webhook is not configured (ZHIYI_WEBHOOK_SECRET).", "webhook_not_configured")
    if len(body) > settings.ZHIYI_WEBHOOK_MAX_BODY_BYTES:
        return error_answer(413, "The body is too large.", "body_too_large")
    try:
        webhook_id = signing.verify(body=body, headers=headers, secrets=secrets,
                                    tolerance_s=settings.ZHIYI_WEBHOOK_TOLERANCE_S)
    except signing.SignatureError as exc:
        logger.warning("webhook refused: %s", exc.code)
        return error_answer(exc.status, str(exc), exc.code)

    row, earlier = claim_delivery(webhook_id=webhook_id)
    if row is None:
        if earlier == PROCESSING:
            return error_answer(409, "This delivery is being processed; try again later.", "in_progress")
        return Answer(200, {"status": "duplicate", "outcome": earlier})
    try:
        return _apply(row, body)
    except Exception as exc:  # noqa: BLE001 — answered 500 and recorded; the sender retries
        return unexpected(row, exc)


def finish_download(step: Download, *, content: bytes, problem: str) -> Answer:
    try:
        return _complete(step.row, step.event, step.task, content=content, problem=problem)
    except Exception as exc:  # noqa: BLE001 — answered 500 and recorded; the sender retries
        return unexpected(step.row, exc)


def unexpected(row: WebhookDelivery, exc: Exception) -> Answer:
    logger.error("webhook %s: unexpected error", row.webhook_id, exc_info=exc)
    _finish(row, outcome=ERROR, error=type(exc).__name__)
    return error_answer(500, "The delivery could not be processed; it will be accepted when retried.", "error")


def _apply(row: WebhookDelivery, body: bytes) -> Answer | Download:
    try:
        event = parse_event(body)
    except Rejected as exc:
        _finish(row, outcome=INVALID, error=str(exc))
        return error_answer(exc.status, str(exc), exc.code)
    task = ProcessingTask.objects.filter(external_id=event.external_id).first()
    if task is None:
        _finish(row, outcome=UNKNOWN_TASK, error="No task waits for this external id.", event=event)
        return error_answer(404, "No task has this external_task_id.", "unknown_external_id")
    if task.status != Status.WAITING_EXTERNAL:
        return _done(row, event, task, IGNORED, f"The task is already {task.status}.")

    if event.type == "task.progress":
        moved = services.update_external_progress(task_id=task.pk, external_id=event.external_id,
                                                  progress=event.progress, message=event.message)
        return _done(row, event, task, APPLIED if moved else IGNORED)
    if event.type == "task.failed":
        error = f"The external engine failed: {event.error or 'no reason given'}"
        failed = services.fail_task(task_id=task.pk, run=task.run, external_id=event.external_id,
                                    error=error, actor="webhook")
        return _done(row, event, task, APPLIED if failed else IGNORED)
    if event.result_url:
        return Download(row, event, task)
    try:
        content, problem = base64.b64decode(event.result_base64, validate=True), ""
    except (binascii.Error, ValueError):
        content, problem = b"", "result_base64 is not valid base64."
    return _complete(row, event, task, content=content, problem=problem)


def _complete(row: WebhookDelivery, event: Event, task: ProcessingTask, *, content: bytes, problem: str) -> Answer:
    limit = max_upload_bytes()
    if not problem and not content:
        problem = "The result is empty."
    elif not problem and len(content) > limit:
        problem = f"The result is larger than the {settings.ZHIYI_MAX_UPLOAD_MB} MB limit."
    if problem:
        error = f"The external engine's result could not be used: {problem}"
        failed = services.fail_task(task_id=task.pk, run=task.run, external_id=event.external_id,
                                    error=error, actor="webhook")
        return _done(row, event, task, TASK_FAILED if failed else IGNORED, problem)
    # Written before the transaction (no file I/O under row locks); removed if the task ended meanwhile.
    name = default_storage.save(_result_path(task, task.result_filename), ContentFile(content))
    # Never charge more than the user agreed to: the platform's own count caps the engine's.
    characters = task.characters if event.characters is None else min(event.characters, task.characters)
    try:
        completed = services.complete_task(task_id=task.pk, run=task.run, external_id=event.external_id,
                                           result_name=name, characters=characters, actor="webhook")
    except BaseException:
        default_storage.delete(name)
        raise
    if not completed:
        default_storage.delete(name)
        return _done(row, event, task, IGNORED, "The task ended before the result arrived.")
    return _done(row, event, task, APPLIED)


def _done(row: WebhookDelivery, event: Event, task: ProcessingTask, outcome: str, note: str = "") -> Answer:
    _finish(row, outcome=outcome, error=note, event=event, task=task)
    logger.info("webhook %s: %s %s for task %s", row.webhook_id, event.type, outcome, task.pk)
    return Answer(200, {"status": outcome, "task": task.pk, **({"detail": note} if note else {})})


def error_answer(status: int, detail: str, code: str) -> Answer:
    return Answer(status, {"detail": detail, "code": code})
