"""Handing a task to the worker (django-q2)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, transaction

JOB_PREFIX = "translate-"  # django-q2 job names: translate-<task id>


def enqueue(task_id: int) -> None:
    """Hand the task to a worker now (see enqueue_with_transaction for when)."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    if Conf.SYNC or not Conf.ORM:
        async_task("tasks.processor.run_task", task_id, task_name=f"{JOB_PREFIX}{task_id}", group="translate")
        return
    # The ORM broker closes every connection of the process older than CONN_MAX_AGE when it is
    # called outside a transaction (close_old_connections): after each commit, with the queue in
    # a database of its own, that is both connections, reopened by the next statement. Inside an
    # atomic block on the broker's database it leaves them be; the job is one insert either way.
    with transaction.atomic(using=Conf.ORM):
        async_task("tasks.processor.run_task", task_id, task_name=f"{JOB_PREFIX}{task_id}", group="translate")


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


@dataclass(frozen=True)
class Job:
    pk: int
    held_since: datetime | None  # when a cluster took it (None: it waits to be taken)


def task_jobs() -> dict[int, list[Job]] | None:
    """The jobs of tasks in django-q2's ORM broker, by task id; None when the broker is not one
    this process can look into (then a lost job is simply sent again)."""
    from django.conf import settings
    from django.utils import timezone
    from django_q.conf import Conf
    from django_q.models import OrmQ

    if not Conf.ORM:
        return None
    now, hold = timezone.now(), timedelta(seconds=settings.Q_CLUSTER["retry"])
    jobs: dict[int, list[Job]] = {}
    for row in OrmQ.objects.using(Conf.ORM).only("pk", "payload", "lock"):
        try:
            name = row.name()
        except Exception:  # noqa: BLE001 — a job we cannot read is not one of ours
            continue
        if isinstance(name, str) and name.startswith(JOB_PREFIX):
            # A taken job's lock is when the taking cluster may be presumed dead (taken + retry).
            held = row.lock - hold if row.lock > now else None
            jobs.setdefault(int(name[len(JOB_PREFIX):]), []).append(Job(row.pk, held))
    return jobs


def release_jobs(jobs: list[Job]) -> int:
    """Make taken jobs deliverable again now (their cluster lost them: a worker failed before it
    could even acknowledge them). Safe when it had not: the claim turns a second run into a no-op."""
    from django.utils import timezone
    from django_q.conf import Conf
    from django_q.models import OrmQ

    return OrmQ.objects.using(Conf.ORM).filter(pk__in=[j.pk for j in jobs]).update(lock=timezone.now())
