"""What the worker runs (django-q2 `async_task("tasks.processor.run_task", id)`).

django-q2 may deliver the same job more than once; `claim_task` makes a duplicate a no-op and
every later write checks that this run still owns the task (status + run)."""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from django_q.conf import Conf

from lib.messages import ReadableError
from memory.services import GlossaryError
from tasks import documents, engines, messages, services
from tasks.engines.external import ExternalEngine
from tasks.errors import TaskNoLongerOurs
from tasks.models import ProcessingTask, _result_path
from tasks.translation import linguistic_assets, run_pipeline

logger = logging.getLogger("zhiyi.worker")


class ProgressReporter:
    """Throttled progress writes: each one takes the database's write lock (and on PostgreSQL a
    NOTIFY), so at most one per ZHIYI_PROGRESS_INTERVAL_S, and only when the percentage moved."""

    def __init__(self, task: ProcessingTask) -> None:
        self.task_id = task.pk
        self.run = task.run
        # The claim just wrote the task: a run shorter than one interval writes no progress at all.
        self.last_sent = time.monotonic()
        self.last_percent = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 5 + int(90 * done / max(total, 1))
        now = time.monotonic()
        if percent == self.last_percent or now - self.last_sent < settings.ZHIYI_PROGRESS_INTERVAL_S:
            return
        self.last_sent, self.last_percent = now, percent
        services.update_progress(task_id=self.task_id, run=self.run, progress=percent, done=done,
                                 total=total)


def backoff_s(attempt: int) -> int:
    """Seconds before the next attempt after a retryable engine failure: doubling, capped."""
    return min(settings.ZHIYI_RETRY_BACKOFF_S * 2 ** max(attempt - 1, 0), 600)


class WorkerStopping(BaseException):
    """The worker process was told to stop (SIGTERM) in the middle of a task."""


def _stop_now(signum: int, frame: object) -> None:
    raise WorkerStopping()


@contextmanager
def _handing_back_on_sigterm() -> Iterator[None]:
    """While a task runs in a worker process, SIGTERM interrupts it (WorkerStopping) instead of
    killing the process where it stands; elsewhere (the in-process test mode) nothing changes."""
    if threading.current_thread() is not threading.main_thread() or Conf.SYNC:
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_task(task_id: int) -> None:
    task = services.claim_task(task_id=task_id)
    if task is None:
        logger.info("task %s: nothing to do (already taken or ended)", task_id)
        return
    _run_claimed(task)
    # This run's turn is over: the user's next waiting task (of a job) goes to the worker.
    services.send_turns(user_id=task.user_id)


def _run_claimed(task: ProcessingTask) -> None:
    task_id = task.pk
    try:
        with _handing_back_on_sigterm():
            _process(task)
    except WorkerStopping:
        # Told to stop: hand the task back to the queue for another worker, then stop as asked.
        services.hand_back_task(task_id=task_id, run=task.run)
        logger.info("task %s: handed back, the worker is stopping", task_id)
        os.kill(os.getpid(), signal.SIGTERM)
    except TaskNoLongerOurs:
        logger.info("task %s: stopped, it was cancelled or taken over", task_id)
    except engines.EngineError as exc:
        if exc.retryable:  # the engine was down or overloaded: again later, while attempts last
            services.back_off_task(task_id=task_id, run=task.run, error=exc, delay_s=backoff_s(task.attempt))
        else:
            services.fail_task(task_id=task_id, run=task.run, error=exc)
    except (documents.DocumentError, GlossaryError) as exc:
        services.fail_task(task_id=task_id, run=task.run, error=exc)
    except (OperationalError, InterfaceError):
        # The database went away mid-run: nothing can be recorded now. The task stays processing
        # and the reaper sends it again once its heartbeat is stale (django-q2 logs this job failed).
        logger.warning("task %s: the database was lost during the run", task_id, exc_info=True)
        raise
    except Exception:
        logger.exception("task %s: unexpected error", task_id)
        services.fail_task(task_id=task_id, run=task.run,
                           error=ReadableError(_("An internal error stopped the translation (task %(task)s)."),
                                               params={"task": str(task_id)}))


def _process(task: ProcessingTask) -> None:
    with task.original.open("rb") as handle:
        data = handle.read()
    engine = engines.get_engine(task.engine, task.options)
    if engine.asynchronous:
        # The whole document goes to the service; the signed webhook finishes the task
        # (tasks/webhooks/), and the reaper fails it if no answer comes before the deadline.
        reservation = services.current_reservation(task.pk)
        external_id = cast(ExternalEngine, engine).submit(
            task_id=task.pk, round_number=reservation.number if reservation else 0, filename=task.filename,
            format=task.format, source_lang=task.source_lang, target_lang=task.target_lang, data=data)
        services.wait_for_external(task_id=task.pk, run=task.run, external_id=external_id)
        return
    handler = documents.get_handler(task.format)
    document = handler.parse_in(data, source_lang=task.source_lang)
    memory, glossary = linguistic_assets(user_id=task.user_id, engine_name=engine.name, source=task.source_lang,
                                         target=task.target_lang, glossary_id=task.options.get("glossary_id"))
    run = run_pipeline(engine, document.segments, task.source_lang, task.target_lang,
                       on_progress=ProgressReporter(task), memory=memory, glossary=glossary)
    document.output_format = handler.output_for(task.options.get("output_format")).extension
    content = document.build(run.translations, bilingual=bool(task.options.get("bilingual")),
                             target_lang=task.target_lang)
    if document.fallbacks:
        # The engine lost or garbled inline placeholders: each fault cost only its own span
        # (see tasks/documents/inline.py).
        logger.warning("task %s: %d segment(s) lost their inline formatting", task.pk, document.fallbacks)
    name = default_storage.save(_result_path(task, task.result_filename), ContentFile(content))
    # Billed: what the engine translated in this run (memory hits and repeats are free).
    if not services.complete_task(task_id=task.pk, run=task.run, result_name=name,
                                  characters=run.engine_characters, note=_note(document),
                                  reuse={"segments": run.segments, "memory_segments": run.memory_segments,
                                         "glossary_terms": run.glossary_terms}):
        default_storage.delete(name)  # cancelled while we wrote: keep no orphan file


def _note(document: documents.Document) -> tuple[str, dict] | None:
    """What the task says when it is done, beyond "Done": a document's note, as a task message."""
    for code, params in document.notes:
        if code == documents.OUTPUT_UTF8:
            return messages.DONE_OUTPUT_UTF8, params
    return None
