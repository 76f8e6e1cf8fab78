from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notify(*, user_id: int, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Record a notification. Called inside the caller's transaction, so it exists only if the
    change it reports was committed; the stream bus publishes it after commit (signals.py)."""
    return Notification.objects.create(user_id=user_id, kind=kind, title=title[:200], body=body, url=url[:300])


@transaction.atomic
def mark_read(*, user_id: int, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, user_id=user_id, read_at=None).update(read_at=timezone.now())
    )


@transaction.atomic
def mark_all_read(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at=None).update(read_at=timezone.now())
