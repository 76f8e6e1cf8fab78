"""Scheduled upkeep. django-q2 schedules (tasks/migrations/0002_upkeep_schedules.py) call these
by dotted name; each is also a management command. Every one is safe to run twice or on two
workers at once: the changes go through locked, state-checked services or are plain deletes
of rows past a cut-off. They return a one-line summary (kept as the django-q2 result)."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("zhiyi.upkeep")


def reap_tasks() -> str:
    from tasks.reaper import reap_tasks as reap

    report = reap()
    summary = (f"requeued or failed {len(report.requeued_or_failed)} stale task(s), "
               f"expired {len(report.expired_external)} external task(s)")
    logger.info("reap_tasks: %s", summary, extra={"requeued_or_failed": report.requeued_or_failed,
                                                  "expired_external": report.expired_external})
    return summary


def purge_retention(*, days: int | None = None) -> str:
    from tasks.services import purge_task_files

    days = settings.ZHIYI_RETENTION_DAYS if days is None else days
    purged: list[int] = []
    while batch := purge_task_files(older_than=timedelta(days=days)):
        purged += batch
    summary = f"deleted the files of {len(purged)} task(s) that ended over {days} day(s) ago"
    logger.info("purge_retention: %s", summary, extra={"task_ids": purged[:1000]})
    return summary


def prune_history(*, days: int | None = None) -> str:
    """Delete notifications and webhook deliveries older than ZHIYI_HISTORY_DAYS. A delivery
    row only matters for replays, and the signature tolerance refuses any replay older than
    minutes, so old rows guard nothing."""
    from notifications.models import Notification
    from tasks.models import WebhookDelivery

    days = settings.ZHIYI_HISTORY_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    notifications, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    deliveries, _ = WebhookDelivery.objects.filter(received_at__lt=cutoff).delete()
    summary = f"pruned {notifications} notification(s) and {deliveries} webhook deliveries older than {days} day(s)"
    logger.info("prune_history: %s", summary)
    return summary


def expire_credits() -> str:
    from credits.services import expire_grants

    points = expire_grants()
    summary = f"expired {points} point(s) of grants past their expiry"
    logger.info("expire_credits: %s", summary, extra={"points": points})
    return summary
