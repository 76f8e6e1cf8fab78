"""Retention: the files of tasks that ended long ago are deleted; their rows, money history and
events stay."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.models import TERMINAL_STATUSES, ProcessingTask
from tasks.services.lifecycle import log_event, save_transition


def purge_task_files(*, older_than: timedelta | None = None, limit: int = 1000) -> list[int]:
    """Delete the original and result files of tasks that ended more than `older_than` (default
    ZHIYI_RETENTION_DAYS) ago; each purge is one event. Returns the ids purged (at most `limit`)."""
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
            save_transition(task, ["original", "result"])
            log_event(task, actor="retention", message=f"Files deleted after {cutoff:%Y-%m-%d} retention cut-off")
        for name in names:  # after commit, like delete_task: never a row pointing at a missing file
            default_storage.delete(name)
        purged.append(task_id)
    return purged
