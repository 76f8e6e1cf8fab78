"""Open SSE connections of THIS process, indexed by topic so an event reaches only its subscribers.

Never persisted and never shared: every web process has its own, fed by the bus. Mutated only
on the event loop that serves the streams; other threads hand events over with
`dispatch_threadsafe`. Each connection has a bounded mailbox that keeps only the newest version
of each state (see streams.event), so a slow client costs bounded memory and never delays anyone.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

from streams.event import Event

MAILBOX_LOG = 100  # log events are not coalesced; beyond this many waiting the oldest go
# A stream reads its snapshot (on a pool thread) a moment before it registers; an event
# dispatched in between would be lost — and if it was a final state the stream would hang. So the
# registry keeps the events of the last few seconds (the newest per state key) and replays those
# a connection is missing as it registers.
RECENT_S = 3.0
RECENT_MAX = 1000


class Connection:
    """One open stream: a user, the topics it listens to, its mailbox and what it has sent."""

    __slots__ = ("user_id", "topics", "mailbox", "sent", "log_after", "wakeup", "_logs", "closed", "ending", "task",
                 "last_write", "writing_since", "deadline")

    def __init__(self, *, user_id: int, topics: Iterable[str], log_after: int | None = None) -> None:
        self.user_id = user_id
        self.topics = frozenset(topics)
        self.mailbox: OrderedDict[object, Event] = OrderedDict()
        self.sent: dict[str, int] = {}  # state key → newest version already sent (or in the snapshot)
        # Log events newer than this id that happened just before registration are replayed
        # (None: none are); the opener sets it to the newest id its snapshot considered.
        self.log_after = log_after
        self.wakeup = asyncio.Event()
        self._logs = 0
        # Kept by the stream loop (streams.sse) and read by the process's one sweep, which wakes a
        # connection for its heartbeat or lifetime and cancels one whose write is stuck.
        self.closed = False  # the client went away
        self.ending = ""  # why the server ends the stream early: "lifetime", "drain"
        self.task: asyncio.Task | None = None
        self.last_write = 0.0
        self.writing_since: float | None = None
        self.deadline = float("inf")

    def close(self) -> None:
        """The client is gone: the stream loop ends at its next wake-up (now)."""
        self.closed = True
        self.wakeup.set()

    def end(self, why: str) -> None:
        if not self.ending:
            self.ending = why
        self.wakeup.set()

    def has(self, event: Event) -> bool:
        """Whether this client already has this state (sent, or in its snapshot)."""
        return event.key is not None and event.version <= self.sent.get(event.key, 0)

    def offer(self, event: Event) -> bool:
        """Put an event in the mailbox (event loop only). A newer state replaces an older one
        still waiting there; returns True when that happened (or the event itself was older)."""
        if event.key is not None:
            if self.has(event):
                return False  # already sent (a repeat from a re-read): not even a wakeup
            queued = self.mailbox.get(event.key)
            if queued is not None:
                if queued.version == event.version:
                    return False  # the same state again (a re-read): nothing was superseded
                if queued.version > event.version:
                    return True
            self.mailbox[event.key] = event
            superseded = queued is not None
        else:
            self.mailbox[("log", event.id)] = event
            self._logs += 1
            if self._logs > MAILBOX_LOG:
                oldest = next(k for k in self.mailbox if isinstance(k, tuple))
                del self.mailbox[oldest]
                self._logs -= 1
            superseded = False
        self.wakeup.set()
        return superseded

    def take(self) -> list[Event]:
        """Events to send now, stale states dropped (never an older state after a newer)."""
        events = list(self.mailbox.values())
        self.mailbox.clear()
        self._logs = 0
        self.wakeup.clear()
        fresh = []
        for event in events:
            if event.key is not None:
                if self.has(event):
                    continue
                self.sent[event.key] = event.version
            fresh.append(event)
        return fresh


class _Recent:
    """Events of the last RECENT_S seconds, the newest per state key, indexed by topic."""

    def __init__(self) -> None:
        self.entries: OrderedDict[object, tuple[float, Event]] = OrderedDict()  # oldest first
        self.by_topic: dict[str, dict[object, Event]] = defaultdict(dict)

    def remember(self, event: Event) -> None:
        now = time.monotonic()
        slot = event.key if event.key is not None else ("log", event.id)
        held = self.entries.pop(slot, None)
        if held is not None:
            self._unindex(slot, held[1])
            if held[1].version > event.version:
                event = held[1]  # never forget a newer state for an older one arriving late
        self.entries[slot] = (now, event)
        for topic in event.topics:
            self.by_topic[topic][slot] = event
        while self.entries:
            when, oldest = next(iter(self.entries.values()))
            if when >= now - RECENT_S and len(self.entries) <= RECENT_MAX:
                break
            old_slot, _ = self.entries.popitem(last=False)
            self._unindex(old_slot, oldest)

    def _unindex(self, slot: object, event: Event) -> None:
        for topic in event.topics:
            held = self.by_topic.get(topic)
            if held is not None:
                held.pop(slot, None)
                if not held:
                    del self.by_topic[topic]

    def matching(self, topics: frozenset[str]) -> list[Event]:
        cutoff = time.monotonic() - RECENT_S
        out: dict[object, Event] = {}
        for topic in topics:
            for slot, event in self.by_topic.get(topic, {}).items():
                if self.entries[slot][0] >= cutoff:
                    out[slot] = event
        return list(out.values())


class Registry:
    def __init__(self) -> None:
        self.by_topic: dict[str, set[Connection]] = defaultdict(set)
        self.per_user: dict[int, int] = defaultdict(int)
        self.opened_total = 0
        self.dispatched = 0  # events handed to a connection's mailbox
        self.superseded = 0  # dropped because a newer state of the same key arrived first
        self.loops = 0  # stream loops running (each open stream has one; none may outlive it)
        self.connections: set[Connection] = set()
        self.draining = False  # the process is shutting down: no new streams
        self.recent = _Recent()
        self.loop: asyncio.AbstractEventLoop | None = None

    # --- membership (event loop) -------------------------------------------------------------
    def register(self, connection: Connection) -> None:
        self.loop = asyncio.get_running_loop()
        for topic in connection.topics:
            self.by_topic[topic].add(connection)
        self.per_user[connection.user_id] += 1
        self.connections.add(connection)
        self.opened_total += 1
        for event in self.recent.matching(connection.topics):
            if event.key is not None or (connection.log_after is not None and (event.id or 0) > connection.log_after):
                connection.offer(event)

    def unregister(self, connection: Connection) -> None:
        if connection not in self.connections:
            return
        self.connections.discard(connection)
        for topic in connection.topics:
            members = self.by_topic.get(topic)
            if members is not None:
                members.discard(connection)
                if not members:
                    del self.by_topic[topic]
        self.per_user[connection.user_id] -= 1
        if self.per_user[connection.user_id] <= 0:
            del self.per_user[connection.user_id]

    # --- delivery ------------------------------------------------------------------------------
    def dispatch(self, event: Event) -> int:
        """Hand an event to its subscribers (event loop). Cost ∝ subscribers, not connections."""
        self.recent.remember(event)
        if len(event.topics) == 1:
            targets: Iterable[Connection] = self.by_topic.get(event.topics[0], ())
        else:
            targets = set().union(*(self.by_topic.get(t, ()) for t in event.topics))
        handed = 0
        for connection in list(targets):
            if connection.has(event):
                continue  # a repeat (the SQLite poller's overlap, a resync): this client has it already
            self.superseded += connection.offer(event)
            handed += 1
        self.dispatched += handed  # so the metrics count real deliveries, not re-reads
        return handed

    def dispatch_threadsafe(self, event: Event) -> None:
        """From any thread: deliver on the streams' event loop (no-op before the first stream)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.dispatch(event)
        else:
            loop.call_soon_threadsafe(self.dispatch, event)

    # --- what the bus and the limits need ------------------------------------------------------
    def topics(self) -> set[str]:
        """Every topic somebody listens to (what a catch-up read must cover)."""
        return set(self.by_topic)

    def connection_count(self) -> int:
        return len(self.connections)

    def count_for_user(self, user_id: int) -> int:
        return self.per_user.get(user_id, 0)


registry = Registry()
