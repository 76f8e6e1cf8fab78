"""Cross-process delivery of stream events.

`publish(event)` runs in whichever process changed the data (web or worker), from
`transaction.on_commit`, so nothing is announced that the database does not hold. Each web
process runs one listener (started with its first stream) that feeds its registry:

- postgres: `pg_notify('zhiyi_events', json)`; ONE async psycopg connection per process
  LISTENs, reconnects with backoff, and after a reconnect re-reads the state of every
  subscribed task and new notifications (notifications sent while it was away are lost).
  LISTEN needs a session: behind PgBouncer in transaction mode point ZHIYI_LISTEN_DATABASE_URL
  at a direct connection.
- sqlite: no notification exists, so a poller reads tasks whose `updated_at` moved and
  notifications with a higher id, every ZHIYI_SQLITE_POLL_S, only while someone listens.
- memory: in-process only (tests that run the worker in-process).
- channels: over the Django Channels layer (e.g. channels_redis).
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection as db_connection

from zhiyi.streams.registry import registry

logger = logging.getLogger("zhiyi.streams")
CHANNEL = "zhiyi_events"
MAX_PAYLOAD = 7900  # NOTIFY payloads must stay under 8,000 bytes
GROUP = "zhiyi-events"
# The SQLite poller re-reads this far behind its cursor: a stream that read its snapshot just before
# it registered would otherwise miss a change the poller already passed (repeats cost nothing: a
# connection ignores versions it has sent).
POLL_OVERLAP = timedelta(seconds=1)

published = 0
delivered = 0
reconnects = 0
_listener: asyncio.Task | None = None


def backend() -> str:
    chosen = settings.ZHIYI_BUS
    if chosen != "auto":
        return chosen
    return "postgres" if db_connection.vendor == "postgresql" else "sqlite"


def _count_published() -> None:
    global published
    published += 1
    try:
        from zhiyi import metrics

        metrics.EVENTS_PUBLISHED.inc()
    except Exception:  # noqa: BLE001 — metrics must never break delivery
        pass


def compact(event: dict) -> str:
    """JSON under the NOTIFY limit: long free-text fields are cut first."""
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    for field in ("error", "message", "body", "title"):
        if len(text.encode("utf-8")) <= MAX_PAYLOAD:
            break
        if isinstance(event.get(field), str):
            event = {**event, field: event[field][:200] + "…"}
            text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return text


def publish(event: dict) -> None:
    """Announce a committed change. Never raises: a lost announcement is caught up by the
    snapshot a client gets when it (re)connects."""
    _count_published()
    try:
        kind = backend()
        if kind == "postgres":
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, compact(event)])
        elif kind == "channels":
            from asgiref.sync import async_to_sync
            from channels.layers import get_channel_layer

            async_to_sync(get_channel_layer().group_send)(GROUP, {"type": "zhiyi.event", "event": event})
        elif kind == "memory":
            registry.dispatch_threadsafe(event)  # counted as delivered by the registry
        # sqlite: the pollers read the database itself.
    except Exception:  # noqa: BLE001
        logger.exception("could not publish a stream event")


def deliver(event: dict) -> None:
    global delivered
    count = registry.dispatch(event)
    delivered += count
    if count:
        try:
            from zhiyi import metrics

            metrics.EVENTS_DELIVERED.inc(count)
        except Exception:  # noqa: BLE001
            pass


def ensure_listener() -> None:
    """Start this process's listener on the running loop, once."""
    global _listener
    if _listener is not None and not _listener.done():
        return
    kind = backend()
    runner = {"postgres": _listen_postgres, "sqlite": _poll_sqlite, "channels": _listen_channels}.get(kind)
    if runner is not None:
        # A fresh context: the listener must not inherit the request's (its executor ends with it).
        _listener = asyncio.get_running_loop().create_task(runner(), context=contextvars.Context())


# --- catching up --------------------------------------------------------------------------------
# Database reads of the listener run on one dedicated thread (its own connection, reused), never
# on a request's executor: the listener outlives the request that started it.

_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhiyi-bus")


async def _read(fn, *args):  # type: ignore[no-untyped-def]
    return await asyncio.get_running_loop().run_in_executor(_reader, fn, *args)


def _task_events_since(since: datetime | None, task_ids: set[int], users: set[int]) -> tuple[list[dict], datetime | None]:
    from django.db.models import Q

    from tasks.events import task_status_payload
    from tasks.models import ProcessingTask

    if not task_ids and not users:
        return [], since
    query = ProcessingTask.objects.filter(Q(pk__in=task_ids) | Q(user_id__in=users))
    if since is not None:
        query = query.filter(updated_at__gte=since - POLL_OVERLAP)
    events, newest = [], since
    for task in query.order_by("updated_at")[:2000]:
        events.append({"type": "status", **task_status_payload(task)})
        newest = task.updated_at if newest is None or task.updated_at > newest else newest
    return events, newest


def _notification_events_after(last_id: int, users: set[int]) -> tuple[list[dict], int]:
    from notifications.events import notification_payload
    from notifications.models import Notification

    if not users:
        return [], last_id
    events = []
    for item in Notification.objects.filter(user_id__in=users, pk__gt=last_id).order_by("pk")[:2000]:
        events.append({"type": "notification", **notification_payload(item)})
        last_id = max(last_id, item.pk)
    return events, last_id


def _latest_notification_id() -> int:
    from notifications.models import Notification

    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _changes(since: datetime | None, last_notification: int, task_ids: set[int], task_users: set[int],
             notification_users: set[int]) -> tuple[list[dict], datetime | None, int]:
    events, since = _task_events_since(since, task_ids, task_users)
    notes, last_notification = _notification_events_after(last_notification, notification_users)
    return events + notes, since, last_notification


async def resync(last_notification_id: int) -> int:
    """Push the current state of everything subscribed (after a gap in delivery)."""
    events, _, last_notification_id = await _read(
        _changes, None, last_notification_id, registry.subscribed_task_ids(), registry.task_users(),
        registry.notification_users())
    for event in events:
        deliver(event)
    return last_notification_id


# --- backends ------------------------------------------------------------------------------------

async def _poll_sqlite() -> None:
    from django.utils import timezone

    last_notification = await _read(_latest_notification_id)
    since: datetime | None = timezone.now()
    while True:
        await asyncio.sleep(settings.ZHIYI_SQLITE_POLL_S)
        if not registry.open:
            continue
        try:
            events, since, last_notification = await _read(
                _changes, since, last_notification, registry.subscribed_task_ids(), registry.task_users(),
                registry.notification_users())
        except Exception:  # noqa: BLE001 — e.g. the database briefly locked: try next tick
            logger.warning("stream poller could not read the database", exc_info=True)
            continue
        for event in events:
            deliver(event)


def _listen_dsn() -> str:
    if settings.ZHIYI_LISTEN_DATABASE_URL:
        return settings.ZHIYI_LISTEN_DATABASE_URL
    s = db_connection.settings_dict
    parts = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"],
             "port": s["PORT"]}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


async def _listen_postgres() -> None:
    import psycopg

    global reconnects
    backoff = 0.5
    last_notification = await _read(_latest_notification_id)
    first = True
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(_listen_dsn(), autocommit=True)
            async with conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                if not first:
                    # Whatever was sent while we were away is lost: re-read and push the state.
                    reconnects += 1
                    _count_reconnect()
                    last_notification = await resync(last_notification)
                first, backoff = False, 0.5
                async for notify in conn.notifies():
                    try:
                        event = json.loads(notify.payload)
                    except ValueError:
                        continue
                    if event.get("type") == "notification":
                        last_notification = max(last_notification, int(event.get("id") or 0))
                    deliver(event)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 — reconnect whatever went wrong
            logger.warning("stream listener lost its connection; reconnecting in %.1fs", backoff, exc_info=True)
            first = False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10)


def _count_reconnect() -> None:
    try:
        from zhiyi import metrics

        metrics.BUS_RECONNECTS.inc()
    except Exception:  # noqa: BLE001
        pass


async def _listen_channels() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(GROUP, channel)
    while True:
        message = await layer.receive(channel)
        if message.get("type") == "zhiyi.event":
            deliver(message["event"])
