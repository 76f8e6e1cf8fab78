"""Many tasks at once, all or nothing: every document priced first (by the caller, with
tasks.services.quotes), then every file stored, then one transaction that saves every task and
reserves every cost. Nothing of it remains when any part fails: no row, no reservation, no file.

The tasks wait for their turn (tasks.services.turns) instead of going to the worker at once."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from credits import services as credits
from credits.selectors import balance_of
from tasks import messages
from tasks.models import ProcessingTask
from tasks.services.lifecycle import log_event
from tasks.services.quotes import Quote
from tasks.services.turns import send_turns

logger = logging.getLogger("zhiyi.tasks")


@dataclass(frozen=True)
class NewTask:
    """One task to create: a document (already read and priced) for one target language."""

    filename: str
    data: bytes
    quote: Quote
    engine_name: str
    source_lang: str
    target_lang: str
    options: dict = field(default_factory=dict)


def create_tasks(*, user_id: int, new_tasks: list[NewTask],
                 within: Callable[[list[ProcessingTask]], None] | None = None) -> list[ProcessingTask]:
    """Create every task and reserve the total in one transaction, or nothing.

    `within(tasks)` runs inside that transaction after the tasks exist (the caller's own rows,
    e.g. a job and its links). Raises InsufficientCredits with the whole total as `cost`."""
    tasks = []
    for new in new_tasks:
        task = ProcessingTask(
            user_id=user_id, engine=new.engine_name, source_lang=new.source_lang, target_lang=new.target_lang,
            format=new.quote.format, options=new.options, filename=new.filename, size=len(new.data),
            characters=new.quote.characters, cost=new.quote.cost, message_code=messages.QUEUED, waiting_turn=True)
        tasks.append(task)
    total = sum(t.cost for t in tasks)
    stored: list[str] = []
    try:
        # The same bytes for several target languages are stored once per task: each task
        # owns its original (retention and deletion act on one task at a time).
        for task, new in zip(tasks, new_tasks):
            task.original.save(new.filename, ContentFile(new.data), save=False)
            stored.append(task.original.name)
        try:
            with transaction.atomic():
                for task in tasks:
                    task.save()
                    log_event(task, actor="user", message="Created")
                credits.reserve_many(user_id=user_id, amounts={task.pk: task.cost for task in tasks})
                if within is not None:
                    within(tasks)
                send_turns(user_id=user_id)
        except credits.InsufficientCredits:
            raise credits.InsufficientCredits(balance=balance_of(user_id=user_id), cost=total) from None
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        for task in tasks:
            task.pk = None  # rolled back: these rows do not exist
        raise
    logger.info("tasks created", extra={"user_id": user_id, "tasks": len(tasks), "cost": total})
    return tasks
