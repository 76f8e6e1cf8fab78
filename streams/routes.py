"""What apps register with the realtime layer (in their AppConfig.ready()):

- a **stream**: a path pattern and an *opener*, which runs on the stream database pool with the
  request and the authenticated user, reads the snapshot, and returns what to stream
  (`Opened`), a `Refusal`, or None (the client already holds the final state: 204);
- a **feed**: how the subscribers of some topics catch up on what the bus did not deliver —
  the SQLite poll reads it every tick, and a PostgreSQL listener after reconnecting.

The layer itself names no app: it only knows paths, topics and events.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from streams.event import Event
from streams.registry import Connection

Cursor = TypeVar("Cursor")


@dataclass
class Refusal:
    status: int
    detail: str = ""
    code: str = ""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


@dataclass
class Opened:
    connection: Connection
    first: list[bytes]  # the snapshot, sent before anything else
    is_final: Callable[[Event], bool] | None = None  # the stream ends after such an event
    finished: bool = False  # nothing more can happen: send `first` and end (no limits apply)


Opener = Callable[..., "Opened | Refusal | None"]


@dataclass(frozen=True)
class Stream:
    pattern: re.Pattern[str]
    opener: Opener


class Feed(Generic[Cursor]):
    """Reads, for the topics somebody listens to, the events since a cursor of the feed's own."""

    def start(self) -> Cursor:
        """The cursor at the current end (nothing before it is read again)."""
        raise NotImplementedError

    def read(self, topics: set[str], cursor: Cursor) -> tuple[list[Event], Cursor]:
        """Events of `topics` after `cursor` (the feed ignores topics that are not its own)."""
        raise NotImplementedError

    def resync(self, topics: set[str], cursor: Cursor) -> tuple[list[Event], Cursor]:
        """After a gap in live delivery (a listener reconnected): what subscribers may have missed.
        Default: `read`; a feed of states may read every subscribed state afresh instead."""
        return self.read(topics, cursor)

    def seen(self, event: Event, cursor: Cursor) -> Cursor:
        """The cursor after a live event was delivered (default: unchanged)."""
        return cursor


_streams: list[Stream] = []
_feeds: list[Feed[Any]] = []


def register_stream(pattern: str, opener: Opener) -> None:
    """Serve `pattern` (a regex on the path; named groups of digits become int arguments)."""
    compiled = re.compile(pattern)
    if any(s.pattern.pattern == compiled.pattern for s in _streams):
        return  # ready() may run twice (tests); one registration per path
    _streams.append(Stream(compiled, opener))


def register_feed(feed: Feed[Any]) -> None:
    if not any(type(f) is type(feed) for f in _feeds):
        _feeds.append(feed)


def feeds() -> list[Feed[Any]]:
    return list(_feeds)


def match(path: str) -> tuple[Opener, dict[str, int]] | None:
    for stream in _streams:
        found = stream.pattern.match(path)
        if found:
            return stream.opener, {k: int(v) for k, v in found.groupdict().items()}
    return None
