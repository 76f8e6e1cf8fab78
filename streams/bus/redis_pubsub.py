"""Redis: `PUBLISH zhiyi_events json` from the committing process (web or worker); ONE
subscription per web process. It is the step after PostgreSQL alone: several web processes, or
a database behind a pooler that cannot LISTEN, or a NOTIFY rate one database should not carry.

Redis, like NOTIFY, keeps nothing for a subscriber that is away. redis-py resubscribes by itself
after a dropped connection, and Redis confirms every SUBSCRIBE with a message: each
confirmation (the first too) is the moment to read every feed for what may have been missed,
as the PostgreSQL listener does once LISTEN holds."""
from __future__ import annotations

import asyncio
import json
import logging
from functools import cache, partial

from django.conf import settings

from streams.bus.base import Backend, deliver, note_seen, read_feeds, read_off_loop, start_cursors, stats
from streams.event import Event
from streams.registry import registry

logger = logging.getLogger("zhiyi.streams")
CHANNEL = "zhiyi_events"


@cache
def _client(url: str):  # type: ignore[no-untyped-def]
    """One thread-safe client (a connection pool) per process for publishing."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


class RedisBackend(Backend):
    def publish(self, event: Event) -> None:
        _client(settings.ZHIYI_REDIS_URL).publish(CHANNEL, event.compact_json())

    async def listen(self) -> None:
        import redis.asyncio as aioredis

        backoff = 0.5
        cursors = await read_off_loop(start_cursors)
        first = True
        while True:
            client = aioredis.Redis.from_url(settings.ZHIYI_REDIS_URL, socket_connect_timeout=5,
                                             health_check_interval=30)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message["type"] == "subscribe":  # (re)subscribed: catch up
                            if not first:
                                stats.reconnects += 1
                            events, cursors = await read_off_loop(partial(read_feeds, resync=True), cursors,
                                                                  registry.topics())
                            for event in events:
                                deliver(event)
                            first, backoff = False, 0.5
                        elif message["type"] == "message":
                            try:
                                event = Event.from_wire(json.loads(message["data"]))
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
            finally:
                await client.aclose()
