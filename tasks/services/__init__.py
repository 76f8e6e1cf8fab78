"""Every write of the tasks app, by concern: `quotes` (what a document costs), `creation` (new
tasks and new rounds, which reserve points), `lifecycle` (every transition after that),
`retention` (old files), `queue` (handing work to the worker), `batch` (many tasks at once),
`turns` (which waiting task goes next). Import from here."""
from __future__ import annotations

from tasks.services.batch import NewTask, create_tasks
from tasks.services.creation import clean_filename, create_task, retry_task
from tasks.services.lifecycle import (
    back_off_task,
    cancel_task,
    claim_task,
    complete_task,
    current_reservation,
    delete_task,
    expire_external_task,
    fail_task,
    hand_back_task,
    requeue_stale,
    send_queued_again,
    update_external_progress,
    update_progress,
    wait_for_external,
)
from tasks.services.queue import enqueue, enqueue_with_transaction, release_jobs, task_jobs
from tasks.services.quotes import Quote, check_engine, max_upload_bytes, quote_document, read_upload
from tasks.services.retention import purge_task_files
from tasks.services.turns import send_turns, users_waiting

__all__ = [
    "NewTask", "Quote", "create_tasks", "send_turns", "users_waiting",
    "back_off_task", "cancel_task", "check_engine", "claim_task", "clean_filename", "complete_task",
    "create_task", "current_reservation", "delete_task", "enqueue", "enqueue_with_transaction",
    "expire_external_task", "fail_task", "hand_back_task", "max_upload_bytes", "purge_task_files",
    "quote_document", "read_upload", "release_jobs", "requeue_stale", "retry_task", "send_queued_again",
    "task_jobs", "update_external_progress", "update_progress", "wait_for_external",
]
