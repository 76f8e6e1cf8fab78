"""What every bus backend shares: delivery into this process's registry, the catch-up read of
every registered feed, and the counters /metrics exports."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from streams import routes
from streams.db import with_fresh_connection
from streams.event import Event
from streams.registry import registry


@dataclass
class Stats:
    """Per-process counters (plain attributes, read by the metrics collector at scrape time)."""

    published: int = 0  # events this process announced
    delivered: int = 0  # hand-overs of events to this process's connections
    reconnects: int = 0  # times this process's listener came back after losing its connection


stats = Stats()

# Database reads of the listener run on one dedicated thread (its own connection, reused and
# renewed after a database restart), never on a request's executor: the listener outlives the
# request that started it.
_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhiyi-bus")


async def read_off_loop(fn, *args):  # type: ignore[no-untyped-def]
    return await asyncio.get_running_loop().run_in_executor(_reader, lambda: with_fresh_connection(fn, *args))


def deliver(event: Event) -> int:
    count = registry.dispatch(event)
    stats.delivered += count
    return count


Cursors = dict[int, Any]  # index in routes.feeds() → that feed's cursor


def start_cursors() -> Cursors:
    return {i: feed.start() for i, feed in enumerate(routes.feeds())}


def read_feeds(cursors: Cursors, topics: set[str], *, resync: bool = False) -> tuple[list[Event], Cursors]:
    """Every feed's events since its cursor for the topics somebody listens to (blocking).
    `resync`: after a gap in live delivery (see Feed.resync)."""
    events: list[Event] = []
    moved = dict(cursors)
    if not topics:
        return events, moved
    for i, feed in enumerate(routes.feeds()):
        cursor = cursors[i] if i in cursors else feed.start()
        found, moved[i] = (feed.resync if resync else feed.read)(topics, cursor)
        events += found
    return events, moved


def note_seen(cursors: Cursors, event: Event) -> None:
    for i, feed in enumerate(routes.feeds()):
        if i in cursors:
            cursors[i] = feed.seen(event, cursors[i])


class Backend:
    listens = True  # whether a web process runs `listen()` (memory delivers in `publish` itself)

    def publish(self, event: Event) -> None:
        raise NotImplementedError

    def publish_in_transaction(self, event: Event, connection: Any) -> bool:
        """Announce from inside the writing transaction, if the database itself delivers the
        announcement at commit and drops it at rollback; False: this backend cannot (the caller
        publishes after commit instead)."""
        return False

    async def listen(self) -> None:
        raise NotImplementedError
