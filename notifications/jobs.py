"""Scheduled upkeep of the notifications app (django-q2 schedule "zhiyi: prune old notifications",
and `manage.py prune_notifications`)."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger("zhiyi.upkeep")


def prune_notifications(*, days: int | None = None) -> str:
    """Delete notifications older than ZHIYI_HISTORY_DAYS."""
    days = settings.ZHIYI_HISTORY_DAYS if days is None else days
    deleted, _ = Notification.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()
    summary = f"pruned {deleted} notification(s) older than {days} day(s)"
    logger.info("prune_notifications: %s", summary)
    return summary
