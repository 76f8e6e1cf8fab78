"""The payload of a `notification` stream event. Field names are public."""
from __future__ import annotations

from notifications.models import Notification


def notification_payload(item: Notification) -> dict:
    return {"id": item.pk, "userId": item.user_id, "kind": item.kind, "title": item.title, "body": item.body,
            "url": item.url, "createdAt": item.created_at.isoformat() if item.created_at else None}
