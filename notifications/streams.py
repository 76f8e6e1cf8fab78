"""SSE stream of a user's notifications (`/sse/notifications/`). The first events are the unread
notifications after the client's Last-Event-ID (all unread ones on a first connect); a cursor
that cannot be honoured gets an explicit `reset` event first."""
from __future__ import annotations

from django.core.handlers.asgi import ASGIRequest

from notifications.events import notification_payload
from notifications.models import Notification
from zhiyi.streams import sse
from zhiyi.streams.registry import Connection

REPLAY_LIMIT = 100


def open_notifications_stream(request: ASGIRequest) -> sse.Opened | sse.Refusal:
    user = sse.user_within_limits(request)
    if isinstance(user, sse.Refusal):
        return user
    cursor, unreadable = sse.last_event_id(request)
    unread = Notification.objects.filter(user_id=user.pk, read_at=None)
    newest = Notification.objects.filter(user_id=user.pk).order_by("-pk").values_list("pk", flat=True).first()
    if cursor is not None:
        if newest is not None and cursor > newest:
            unreadable = True  # a cursor from the future (another database?): start over
        else:
            unread = unread.filter(pk__gt=cursor)
    first: list[bytes] = [sse.frame(event="reset", data="{}")] if unreadable else []
    # Oldest first, so the last `id:` the client sees is the newest notification.
    newest_unread = list(unread.order_by("-pk")[:REPLAY_LIMIT])
    first += [sse.encode_event({"type": "notification", **notification_payload(item)})
              for item in reversed(newest_unread)]
    connection = Connection(user_id=user.pk, kind="notifications")
    # What is created after this read and before the stream registers is replayed by the registry.
    connection.notifications_after = newest or 0
    return sse.Opened(connection, first or [sse.comment("no unread notifications")])
