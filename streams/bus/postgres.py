"""PostgreSQL: `pg_notify('zhiyi_events', json)` inside the writing transaction (delivered at its
commit); ONE async psycopg connection per web process LISTENs, reconnects with backoff, and once
LISTEN holds (the first time too) reads every feed for what it may have missed (notifications
sent before are lost).
LISTEN needs a session: behind PgBouncer in transaction mode point ZHIYI_LISTEN_DATABASE_URL at
a direct connection."""
from __future__ import annotations

import asyncio
import json
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection as db_connection

from streams.bus.base import Backend, deliver, note_seen, read_feeds, read_off_loop, start_cursors, stats
from streams.event import Event
from streams.registry import registry

logger = logging.getLogger("zhiyi.streams")
CHANNEL = "zhiyi_events"
NOTIFY = "SELECT pg_notify(%s, %s)"


def listen_dsn() -> str:
    if settings.ZHIYI_LISTEN_DATABASE_URL:
        return settings.ZHIYI_LISTEN_DATABASE_URL
    s = db_connection.settings_dict
    parts = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"],
             "port": s["PORT"]}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


class PostgresBackend(Backend):
    def publish(self, event: Event) -> None:
        with db_connection.cursor() as cursor:
            cursor.execute(NOTIFY, [CHANNEL, event.compact_json()])

    def publish_in_transaction(self, event: Event, connection: Any) -> bool:
        # PostgreSQL queues a NOTIFY sent inside a transaction and delivers it at COMMIT (and
        # drops it at ROLLBACK, or with the savepoint it was sent in): one statement inside the
        # transaction that wrote, instead of a second transaction (with its own commit) after it.
        # A notification cannot arrive before the data it announces is visible.
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute(NOTIFY, [CHANNEL, event.compact_json()])
        return True

    async def listen(self) -> None:
        import psycopg

        backoff = 0.5
        cursors = await read_off_loop(start_cursors)
        first = True
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(listen_dsn(), autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    # What was sent before LISTEN took hold — while the listener first connected
                    # (the streams that started it are already open), or while it was away after
                    # losing its connection — never arrives: read it, and push the state.
                    if not first:
                        stats.reconnects += 1
                    events, cursors = await read_off_loop(partial(read_feeds, resync=True), cursors, registry.topics())
                    for event in events:
                        deliver(event)
                    first, backoff = False, 0.5
                    async for notify in conn.notifies():
                        try:
                            event = Event.from_wire(json.loads(notify.payload))
                        except (ValueError, KeyError, TypeError):
                            continue
                        note_seen(cursors, event)
                        deliver(event)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 — reconnect whatever went wrong
                logger.warning("stream listener lost its connection; reconnecting in %.1fs", backoff, exc_info=True)
                first = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
