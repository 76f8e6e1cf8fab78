"""SSE stream of a user's notifications (`/sse/notifications/`). The first events are the unread
notifications after the client's Last-Event-ID (all unread ones on a first connect)."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from notifications.events import notification_payload
from notifications.models import Notification
from zhiyi.streams import sse
from zhiyi.streams.auth import last_event_id, stream_user
from zhiyi.streams.registry import Connection

REPLAY_LIMIT = 100


async def notifications_stream(request: HttpRequest) -> HttpResponse:
    user = await stream_user(request)
    if user is None:
        return JsonResponse({"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
                            status=401)
    refused = sse.refuse_if_over_limits(user.pk)
    if refused:
        return refused
    cursor, unreadable = last_event_id(request)
    first: list[bytes] = []
    unread = Notification.objects.filter(user_id=user.pk, read_at=None)
    if cursor is not None:
        newest = await Notification.objects.filter(user_id=user.pk).order_by("-pk").values_list("pk", flat=True).afirst()
        if newest is not None and cursor > newest:
            unreadable = True  # a cursor from the future (another database?): start over
        else:
            unread = unread.filter(pk__gt=cursor)
    if unreadable:
        # The cursor cannot be honoured: tell the client to forget what it holds, then replay.
        first.append(sse.frame(event="reset", data="{}"))
    newest_unread = [item async for item in unread.order_by("-pk")[:REPLAY_LIMIT]]
    # Oldest first, so the last `id:` the client sees is the newest notification.
    first += [sse.encode_event({"type": "notification", **notification_payload(item)})
              for item in reversed(newest_unread)]
    if not newest_unread:
        first.append(sse.comment("no unread notifications"))
    await sse.release_database()
    return sse.stream(Connection(user_id=user.pk, kind="notifications"), first)
