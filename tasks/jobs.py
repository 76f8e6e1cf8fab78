"""Scheduled upkeep of the tasks app (django-q2 schedules, see migrations 0002 and 0004; each is
also a management command). Safe to run anywhere, any number of times at once: each row goes
through a locked, state-checked service, or is a plain delete of rows past a cut-off. Each
returns a one-line summary (kept as the django-q2 result)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tasks import services
from tasks.models import ProcessingTask, Status, WebhookDelivery

logger = logging.getLogger("zhiyi.upkeep")


@dataclass
class ReapReport:
    requeued_or_failed: list[int] = field(default_factory=list)
    expired_external: list[int] = field(default_factory=list)
    sent_again: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    turns_sent: list[int] = field(default_factory=list)


def reap() -> ReapReport:
    """Tasks whose worker or external engine went silent: stale heartbeats are requeued (or
    failed and refunded past the attempt limit); external tasks past their deadline fail; queued
    tasks without a job get one (a retry whose time has come, or a job that was lost)."""
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
    lost_before = now - timedelta(seconds=settings.ZHIYI_QUEUED_GRACE_S)
    waiting = ProcessingTask.objects.filter(Q(retry_at__lte=now) | Q(retry_at=None, updated_at__lt=lost_before),
                                            status=Status.QUEUED, waiting_turn=False).values_list("pk", flat=True)
    candidates = list(waiting)
    jobs = services.task_jobs() if candidates else {}
    for task_id in candidates:
        held = [] if jobs is None else jobs.get(task_id, [])
        if not held:
            if services.send_queued_again(task_id=task_id, lost_before=lost_before):
                report.sent_again.append(task_id)
        elif all(j.held_since is not None and j.held_since < lost_before for j in held):
            # Taken by a cluster long ago and never run or acknowledged (the database was down
            # then): back in the queue now rather than when the take expires.
            report.released.append(task_id)
            services.release_jobs(held)
    for user_id in services.users_waiting():  # a turn a lost run never passed on
        report.turns_sent += services.send_turns(user_id=user_id)
    return report


def reap_tasks() -> str:
    report = reap()
    summary = (f"requeued or failed {len(report.requeued_or_failed)} stale task(s), "
               f"expired {len(report.expired_external)} external task(s), "
               f"sent {len(report.sent_again)} queued task(s) to a worker again, "
               f"released the lost jobs of {len(report.released)}, "
               f"sent {len(report.turns_sent)} waiting job task(s) their turn")
    logger.info("reap_tasks: %s", summary, extra={"requeued_or_failed": report.requeued_or_failed,
                                                  "expired_external": report.expired_external,
                                                  "sent_again": report.sent_again, "released": report.released})
    return summary


def purge_retention(*, days: int | None = None) -> str:
    days = settings.ZHIYI_RETENTION_DAYS if days is None else days
    purged: list[int] = []
    while batch := services.purge_task_files(older_than=timedelta(days=days)):
        purged += batch
    summary = f"deleted the files of {len(purged)} task(s) that ended over {days} day(s) ago"
    logger.info("purge_retention: %s", summary, extra={"task_ids": purged[:1000]})
    return summary


def prune_webhook_deliveries(*, days: int | None = None) -> str:
    """Delete webhook deliveries older than ZHIYI_HISTORY_DAYS. A delivery row only matters for
    replays, and the signature tolerance refuses any replay older than minutes, so old rows
    guard nothing."""
    days = settings.ZHIYI_HISTORY_DAYS if days is None else days
    deleted, _ = WebhookDelivery.objects.filter(received_at__lt=timezone.now() - timedelta(days=days)).delete()
    summary = f"pruned {deleted} webhook deliveries older than {days} day(s)"
    logger.info("prune_webhook_deliveries: %s", summary)
    return summary
