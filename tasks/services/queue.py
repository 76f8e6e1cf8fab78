"""Handing a task to the worker (django-q2)."""
from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction


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
