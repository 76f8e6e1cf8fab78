"""The stream of a user's notifications (`/sse/notifications/`). The first events are the unread
notifications after the client's Last-Event-ID (all unread ones on a first connect); a cursor
that cannot be honoured gets an explicit `reset` event first. Registered in apps.py."""
from __future__ import annotations

from django.core.handlers.asgi import ASGIRequest

from notifications.events import NAME, notification_event, user_topic
from notifications.models import Notification
from streams.auth import last_event_id
from streams.event import Event, frame
from streams.registry import Connection
from streams.routes import Feed, Opened
from streams.sse import comment

REPLAY_LIMIT = 100
TOPIC_PREFIX = user_topic(0)[:-1]


def open_notifications_stream(request: ASGIRequest, user) -> Opened:  # type: ignore[no-untyped-def]
    cursor, unreadable = last_event_id(request)
    unread = Notification.objects.filter(user_id=user.pk, read_at=None)
    newest = Notification.objects.filter(user_id=user.pk).order_by("-pk").values_list("pk", flat=True).first()
    if cursor is not None:
        if newest is not None and cursor > newest:
            unreadable = True  # a cursor from the future (another database?): start over
        else:
            unread = unread.filter(pk__gt=cursor)
    first: list[bytes] = [frame(event="reset", data="{}")] if unreadable else []
    # Oldest first, so the last `id:` the client sees is the newest notification.
    newest_unread = list(unread.order_by("-pk")[:REPLAY_LIMIT])
    first += [notification_event(item).frame() for item in reversed(newest_unread)]
    # What is created after this read and before the stream registers is replayed by the registry.
    connection = Connection(user_id=user.pk, topics=[user_topic(user.pk)], log_after=newest or 0)
    return Opened(connection, first or [comment("no unread notifications")])


class NotificationFeed(Feed[int]):
    """Notifications newer than the highest id this process has seen, for the users listening."""

    def start(self) -> int:
        return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def read(self, topics: set[str], cursor: int) -> tuple[list[Event], int]:
        users = {int(t[len(TOPIC_PREFIX):]) for t in topics if t.startswith(TOPIC_PREFIX)}
        if not users:
            return [], cursor
        events = []
        for item in Notification.objects.filter(user_id__in=users, pk__gt=cursor).order_by("pk")[:2000]:
            events.append(notification_event(item))
            cursor = max(cursor, item.pk)
        return events, cursor

    def seen(self, event: Event, cursor: int) -> int:
        return max(cursor, event.id or 0) if event.name == NAME else cursor
