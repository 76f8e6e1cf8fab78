"""Open SSE connections of THIS process, indexed so an event reaches only its subscribers.

Never persisted and never shared: every web process has its own, fed by the bus. Mutated only
on the event loop that serves the streams; other threads hand events over with
`dispatch_threadsafe`. Each connection has a bounded mailbox that keeps only the newest status
per task, so a slow client costs bounded memory and never delays anyone else.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, defaultdict

MAILBOX_NOTIFICATIONS = 100  # notifications are not coalesced; beyond this the oldest go
# A stream reads its snapshot (on a pool thread) a moment before it registers; a status dispatched
# in between would be lost — and if it was the terminal one the stream would hang. So the registry
# remembers the newest status of each recently changed task for a few seconds and replays it to a
# connection as it registers (the connection drops it when the snapshot was already as new).
RECENT_S = 3.0
RECENT_MAX = 1000


class Connection:
    """One open stream: a task stream (task_id set), a user's all-tasks stream, or notifications."""

    def __init__(self, *, user_id: int, kind: str, task_id: int | None = None) -> None:
        self.user_id, self.kind, self.task_id = user_id, kind, task_id
        self.mailbox: OrderedDict[tuple, dict] = OrderedDict()
        self.sent_versions: dict[int, int] = {}  # task id → newest version already sent
        # Notifications: the newest id the snapshot already considered; only newer ones are replayed
        # on register (None: nothing is replayed).
        self.notifications_after: int | None = None
        self.wakeup = asyncio.Event()

    def offer(self, event: dict) -> bool:
        """Put an event in the mailbox (event loop only). A newer status replaces an older one
        still waiting there; returns True when that happened (or the event itself was stale)."""
        superseded = False
        if event["type"] == "status":
            if event["version"] <= self.sent_versions.get(event["taskId"], 0):
                return False  # already sent (a repeat from a re-read): not even a wakeup
            key = ("status", event["taskId"])
            queued = self.mailbox.get(key)
            if queued is not None and queued["version"] == event["version"]:
                return False  # the same state again (a re-read): nothing was superseded
            if queued is not None:
                superseded = True
                if queued["version"] >= event["version"]:
                    return superseded
            self.mailbox[key] = event
        else:
            self.mailbox[("notification", event["id"])] = event
            while len(self.mailbox) > MAILBOX_NOTIFICATIONS:
                self.mailbox.popitem(last=False)
        self.wakeup.set()
        return superseded

    def take(self) -> list[dict]:
        """Events to send now, stale task versions dropped (never an older state after a newer)."""
        events = list(self.mailbox.values())
        self.mailbox.clear()
        self.wakeup.clear()
        fresh = []
        for event in events:
            if event["type"] == "status":
                if event["version"] <= self.sent_versions.get(event["taskId"], 0):
                    continue
                self.sent_versions[event["taskId"]] = event["version"]
            fresh.append(event)
        return fresh


def _trim(recent: OrderedDict, now: float) -> None:
    """Drop entries older than RECENT_S, and the oldest beyond RECENT_MAX (oldest come first)."""
    while recent:
        when, _ = next(iter(recent.values()))
        if when >= now - RECENT_S and len(recent) <= RECENT_MAX:
            break
        recent.popitem(last=False)


class Registry:
    def __init__(self) -> None:
        self.by_task: dict[int, set[Connection]] = defaultdict(set)
        self.all_tasks_by_user: dict[int, set[Connection]] = defaultdict(set)
        self.notifications_by_user: dict[int, set[Connection]] = defaultdict(set)
        self.per_user: dict[int, int] = defaultdict(int)
        self.open = 0
        self.opened_total = 0
        self.dispatched = 0  # events handed to a connection's mailbox
        self.superseded = 0  # dropped because a newer status for the same task arrived first
        self.recent: OrderedDict[int, tuple[float, dict]] = OrderedDict()  # task id → (when, newest status)
        self.recent_notifications: OrderedDict[int, tuple[float, dict]] = OrderedDict()  # id → (when, event)
        self.loop: asyncio.AbstractEventLoop | None = None

    # --- membership (event loop) -------------------------------------------------------------
    def register(self, connection: Connection) -> None:
        self.loop = asyncio.get_running_loop()
        self._index(connection).add(connection)
        self.per_user[connection.user_id] += 1
        self.open += 1
        self.opened_total += 1
        self._replay_recent(connection)

    def unregister(self, connection: Connection) -> None:
        index = self._index(connection)
        if connection in index:
            index.discard(connection)
            self.open -= 1
            self.per_user[connection.user_id] -= 1
            if self.per_user[connection.user_id] <= 0:
                del self.per_user[connection.user_id]
        key = connection.task_id if connection.kind == "task" else connection.user_id
        table = self._table(connection)
        if key in table and not table[key]:
            del table[key]

    def _table(self, connection: Connection) -> dict[int, set[Connection]]:
        return {"task": self.by_task, "tasks": self.all_tasks_by_user,
                "notifications": self.notifications_by_user}[connection.kind]

    def _index(self, connection: Connection) -> set[Connection]:
        key = connection.task_id if connection.kind == "task" else connection.user_id
        return self._table(connection)[key]  # type: ignore[index]

    # --- delivery ------------------------------------------------------------------------------
    def dispatch(self, event: dict) -> int:
        """Hand an event to its subscribers (event loop). Cost ∝ subscribers, not connections."""
        if event.get("type") == "status":
            self._remember(event)
            targets = [*self.by_task.get(event["taskId"], ()), *self.all_tasks_by_user.get(event.get("userId"), ())]
        elif event.get("type") == "notification":
            self._remember_notification(event)
            targets = list(self.notifications_by_user.get(event.get("userId"), ()))
        else:
            return 0
        handed = 0
        for connection in targets:
            if event["type"] == "status" and event["version"] <= connection.sent_versions.get(event["taskId"], 0):
                continue  # a repeat (the SQLite poller's overlap, a resync): this client has it already
            self.superseded += connection.offer(event)
            handed += 1
        self.dispatched += handed  # so the metrics count real deliveries, not re-reads
        return handed

    def _remember(self, event: dict) -> None:
        now = time.monotonic()
        held = self.recent.pop(event["taskId"], None)
        if held is not None and held[1]["version"] > event["version"]:
            event = held[1]  # never forget a newer state for an older one arriving late
        self.recent[event["taskId"]] = (now, event)  # moved to the end: oldest stay first
        _trim(self.recent, now)

    def _remember_notification(self, event: dict) -> None:
        # Same gap as for statuses: a notification created while the stream read its replay.
        now = time.monotonic()
        self.recent_notifications[event["id"]] = (now, event)
        self.recent_notifications.move_to_end(event["id"])
        _trim(self.recent_notifications, now)

    def _replay_recent(self, connection: Connection) -> None:
        cutoff = time.monotonic() - RECENT_S
        if connection.kind == "notifications":
            after = connection.notifications_after
            if after is None:
                return
            for when, event in list(self.recent_notifications.values()):
                if when >= cutoff and event.get("userId") == connection.user_id and event["id"] > after:
                    connection.offer(event)
            return
        if connection.kind == "task":
            held = self.recent.get(connection.task_id)  # type: ignore[arg-type]
            candidates = [held] if held else []
        elif connection.kind == "tasks":
            candidates = [h for h in self.recent.values() if h[1].get("userId") == connection.user_id]
        else:
            return
        for when, event in candidates:
            if when >= cutoff and event["version"] > connection.sent_versions.get(event["taskId"], 0):
                connection.offer(event)

    def dispatch_threadsafe(self, event: dict) -> None:
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

    # --- what the bus needs after a reconnect, and metrics ---------------------------------------
    def subscribed_task_ids(self) -> set[int]:
        return set(self.by_task)

    def task_users(self) -> set[int]:
        return set(self.all_tasks_by_user)

    def notification_users(self) -> set[int]:
        return set(self.notifications_by_user)

    def count_for_user(self, user_id: int) -> int:
        return self.per_user.get(user_id, 0)

    @property
    def connection_count(self) -> int:
        return self.open


registry = Registry()


def connection_count() -> int:
    """Open streams in this process (read by /metrics and the operations page)."""
    return registry.open
