"""Upkeep for tasks whose worker or external engine went silent. Safe to run anywhere, any
number of times at once: each row goes through a locked, state-checked service."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tasks import services
from tasks.models import ProcessingTask, Status


@dataclass
class ReapReport:
    requeued_or_failed: list[int] = field(default_factory=list)
    expired_external: list[int] = field(default_factory=list)


def reap_tasks() -> ReapReport:
    report = ReapReport()
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.ZHIYI_HEARTBEAT_STALE_S)
    stale = ProcessingTask.objects.filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at=None), status=Status.PROCESSING
    ).values_list("pk", flat=True)
    for task_id in list(stale):
        if services.requeue_stale(task_id=task_id):
            report.requeued_or_failed.append(task_id)
    overdue = ProcessingTask.objects.filter(status=Status.WAITING_EXTERNAL, deadline_at__lt=now)
    for task_id in list(overdue.values_list("pk", flat=True)):
        if services.expire_external_task(task_id=task_id):
            report.expired_external.append(task_id)
    return report
