"""Unit tests: SSE framing and the per-process registry (indexing, coalescing, cleanup)."""
from __future__ import annotations

import asyncio
import json

from tests.streams.sse_client import Stream, parse
from zhiyi.streams import sse
from zhiyi.streams.registry import Connection, Registry


def test_frames_split_multiline_data_and_strip_newlines_from_fields():
    raw = sse.frame(event="sta\ntus", id="4\r\n2", data="line one\nline two\r\nline three").decode()
    assert raw == "id: 4  2\nevent: sta tus\ndata: line one\ndata: line two\ndata: line three\n\n"
    stream = parse(raw.split("\n"), Stream())
    assert stream.events[0].data == "line one\nline two\nline three"


def test_heartbeats_are_comments_without_an_id():
    assert sse.comment("keep-alive") == b": keep-alive\n\n"
    assert sse.retry(1500) == b"retry: 1500\n\n"


def test_a_status_event_carries_its_version_as_id_and_no_internal_fields():
    raw = sse.encode_event({"type": "status", "taskId": 3, "userId": 9, "status": "processing", "progress": 40,
                            "message": "m", "version": 7, "resultUrl": None, "error": None}).decode()
    event = parse(raw.split("\n"), Stream()).events[0]
    assert (event.event, event.id) == ("status", "7")
    assert json.loads(event.data) == {"taskId": 3, "status": "processing", "progress": 40, "message": "m",
                                      "version": 7, "resultUrl": None, "error": None}


def status(task_id: int, version: int, user_id: int = 1) -> dict:
    return {"type": "status", "taskId": task_id, "userId": user_id, "status": "processing", "version": version}


def test_dispatch_reaches_only_the_subscribers_of_that_task():
    async def scenario():
        registry = Registry()
        watchers = [Connection(user_id=1, kind="task", task_id=n % 50) for n in range(500)]
        for c in watchers:
            registry.register(c)
        listing = Connection(user_id=1, kind="tasks")
        other_user = Connection(user_id=2, kind="tasks")
        registry.register(listing)
        registry.register(other_user)
        assert registry.dispatch(status(7, 2)) == 10 + 1  # ten watchers of task 7 + the owner's list
        assert [c for c in watchers if c.mailbox] == [c for c in watchers if c.task_id == 7]
        assert not other_user.mailbox
        for c in [*watchers, listing, other_user]:
            registry.unregister(c)
        assert registry.open == 0 and not registry.by_task and not registry.all_tasks_by_user
        assert not registry.per_user

    asyncio.run(scenario())


def test_a_slow_client_keeps_only_the_newest_status_per_task():
    async def scenario():
        registry = Registry()
        connection = Connection(user_id=1, kind="tasks")
        registry.register(connection)
        for version in range(2, 1002):
            registry.dispatch(status(1, version))
            registry.dispatch(status(2, version))
        registry.dispatch(status(1, 5))  # a late, stale event
        assert len(connection.mailbox) == 2
        assert [e["version"] for e in connection.take()] == [1001, 1001]
        assert registry.superseded == 2 * 999 + 1  # the stale one too
        registry.dispatch(status(1, 900))  # older than what was sent: never sent after a newer one
        assert connection.take() == []

    asyncio.run(scenario())


def test_a_status_dispatched_between_snapshot_and_registration_still_arrives():
    async def scenario():
        registry = Registry()
        late = Connection(user_id=1, kind="task", task_id=7)
        late.sent_versions[7] = 3  # its snapshot was read at version 3 ...
        registry.dispatch(status(7, 4))  # ... then the task moved on before it registered
        registry.dispatch(status(8, 9))
        up_to_date = Connection(user_id=1, kind="task", task_id=7)
        up_to_date.sent_versions[7] = 4
        listing = Connection(user_id=1, kind="tasks")
        for c in (late, up_to_date, listing):
            registry.register(c)
        assert [e["version"] for e in late.take()] == [4]
        assert up_to_date.take() == [] and not up_to_date.wakeup.is_set()
        assert sorted(e["taskId"] for e in listing.take()) == [7, 8]

    asyncio.run(scenario())


def test_a_notification_created_between_replay_and_registration_still_arrives_once():
    def note(pk: int, user_id: int = 1) -> dict:
        return {"type": "notification", "id": pk, "userId": user_id, "title": f"n{pk}"}

    async def scenario():
        registry = Registry()
        registry.dispatch(note(5))  # already in the stream's replay (it read up to id 5) ...
        registry.dispatch(note(6))  # ... created after that read, before the stream registered
        registry.dispatch(note(7, user_id=2))  # someone else's
        stream = Connection(user_id=1, kind="notifications")
        stream.notifications_after = 5
        registry.register(stream)
        assert [e["id"] for e in stream.take()] == [6]
        registry.dispatch(note(8))
        assert [e["id"] for e in stream.take()] == [8]

    asyncio.run(scenario())


def test_repeats_of_a_status_are_not_counted_as_dispatched_or_superseded():
    async def scenario():
        registry = Registry()
        watcher = Connection(user_id=1, kind="task", task_id=7)
        watcher.sent_versions[7] = 3  # the snapshot
        registry.register(watcher)
        assert registry.dispatch(status(7, 3)) == 0  # the poller re-reading what the snapshot held
        assert registry.dispatch(status(7, 4)) == 1
        assert registry.dispatch(status(7, 4)) == 1  # still waiting in the mailbox: a plain repeat
        assert (registry.dispatched, registry.superseded) == (2, 0)
        assert [e["version"] for e in watcher.take()] == [4]
        assert registry.dispatch(status(7, 4)) == 0 and not watcher.wakeup.is_set()

    asyncio.run(scenario())
