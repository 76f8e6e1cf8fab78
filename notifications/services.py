from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notify(*, user_id: int, kind: str, params: dict | None = None, url: str = "", title: str = "",
           body: str = "") -> Notification:
    """Record a notification of `kind` with the parameters its templates need (or, for a system
    message, its literal `title` and `body`). Called inside the caller's transaction, so it exists
    only if the change it reports was committed; the stream bus publishes it after commit."""
    params = dict(params or {})
    if title or body:
        params.update(title=title[:200], body=body)
    return Notification.objects.create(user_id=user_id, kind=kind, params=params, url=url[:300])


@transaction.atomic
def mark_read(*, user_id: int, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, user_id=user_id, read_at=None).update(read_at=timezone.now())
    )


@transaction.atomic
def mark_all_read(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at=None).update(read_at=timezone.now())
