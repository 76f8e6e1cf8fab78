"""SQLite has no notifications: a poller per web process reads every feed every
ZHIYI_SQLITE_POLL_S, only while someone listens. Publishing is a no-op (the row is the message)."""
from __future__ import annotations

import asyncio
import logging

from django.conf import settings

from streams.bus.base import Backend, deliver, read_feeds, read_off_loop, start_cursors
from streams.event import Event
from streams.registry import registry

logger = logging.getLogger("zhiyi.streams")


class SqliteBackend(Backend):
    def publish(self, event: Event) -> None:
        pass

    async def listen(self) -> None:
        cursors = await read_off_loop(start_cursors)
        while True:
            await asyncio.sleep(settings.ZHIYI_SQLITE_POLL_S)
            if not registry.connection_count():
                continue
            try:
                events, cursors = await read_off_loop(read_feeds, cursors, registry.topics())
            except Exception:  # noqa: BLE001 — e.g. the database briefly locked: try next tick
                logger.warning("stream poller could not read the database", exc_info=True)
                continue
            for event in events:
                deliver(event)
