"""Cross-process delivery of stream events: one module per backend under a base class, chosen by
the ZHIYI_BUS setting ("auto": redis when ZHIYI_REDIS_URL is set, else postgres on PostgreSQL and
sqlite on SQLite; "memory", "channels" on request).

`publish(event)` runs in whichever process changed the data (web or worker), from
`transaction.on_commit`, so nothing is announced that the database does not hold. Each web
process runs one listener (started with its first stream) that feeds its registry.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
from functools import cache

from django.conf import settings
from django.db import connection as db_connection
from django.utils.module_loading import import_string

from streams.bus.base import Backend, stats
from streams.event import Event

logger = logging.getLogger("zhiyi.streams")

BACKENDS = {
    "postgres": "streams.bus.postgres.PostgresBackend",
    "sqlite": "streams.bus.sqlite.SqliteBackend",
    "memory": "streams.bus.memory.MemoryBackend",
    "redis": "streams.bus.redis_pubsub.RedisBackend",
    "channels": "streams.bus.channels.ChannelsBackend",
}

_listener: asyncio.Task | None = None

__all__ = ["Backend", "backend", "ensure_listener", "publish", "stats"]


def _name() -> str:
    chosen = settings.ZHIYI_BUS
    if chosen != "auto":
        return chosen
    if settings.ZHIYI_REDIS_URL:
        return "redis"
    return "postgres" if db_connection.vendor == "postgresql" else "sqlite"


@cache
def _backend(name: str) -> Backend:
    return import_string(BACKENDS[name])()


def backend() -> Backend:
    return _backend(_name())


def publish(event: Event) -> None:
    """Announce a committed change. Never raises: a lost announcement is caught up by the
    snapshot a client gets when it (re)connects."""
    stats.published += 1
    try:
        backend().publish(event)
    except Exception:  # noqa: BLE001
        logger.exception("could not publish a stream event")


def ensure_listener() -> None:
    """Start this process's listener on the running loop, once."""
    global _listener
    if _listener is not None and not _listener.done():
        return
    chosen = backend()
    if chosen.listens:
        # A fresh context: the listener must not inherit the request's (its executor ends with it).
        _listener = asyncio.get_running_loop().create_task(chosen.listen(), context=contextvars.Context())
