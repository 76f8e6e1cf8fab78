"""The `notification` stream event (SSE streams, bus). Field names of its data are public."""
from __future__ import annotations

from django.utils import translation

from lib.readers import language_of
from notifications.models import Notification
from streams.event import Event

NAME = "notification"


def user_topic(user_id: int) -> str:
    return f"user-notifications:{user_id}"


def notification_payload(item: Notification) -> dict:
    """Written in the language the user chose: a pushed event is encoded once, by whichever
    process wrote the notification (often the worker, outside any request)."""
    with translation.override(language_of(item.user_id)):
        title, body = item.title, item.body
    return {"id": item.pk, "kind": item.kind, "title": title, "body": body, "url": item.url,
            "createdAt": item.created_at.isoformat() if item.created_at else None}


def notification_event(item: Notification) -> Event:
    """A log event: notifications are a sequence, each one shown, none replacing another."""
    return Event(name=NAME, data=notification_payload(item), topics=(user_topic(item.user_id),), id=item.pk)
