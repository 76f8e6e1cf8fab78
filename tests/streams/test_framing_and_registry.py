"""Unit tests of the realtime layer alone (no app): SSE framing, events, and the per-process
registry (indexing by topic, coalescing, replay on register, cleanup)."""
from __future__ import annotations

import asyncio
import json

from streams import sse
from streams.event import Event, frame
from streams.registry import Connection, Registry
from tests.streams.sse_client import Stream, parse


def test_frames_split_multiline_data_and_strip_newlines_from_fields():
    raw = frame(event="sta\ntus", id="4\r\n2", data="line one\nline two\r\nline three").decode()
    assert raw == "id: 4  2\nevent: sta tus\ndata: line one\ndata: line two\ndata: line three\n\n"
    stream = parse(raw.split("\n"), Stream())
    assert stream.events[0].data == "line one\nline two\nline three"


def test_heartbeats_are_comments_without_an_id():
    assert sse.comment("keep-alive") == b": keep-alive\n\n"
    assert sse.retry(1500) == b"retry: 1500\n\n"


def test_a_state_event_carries_its_version_as_id_and_a_log_event_its_own_id():
    state = Event(name="status", data={"taskId": 3, "progress": 40}, topics=["t:3", "u:9"], key="t:3", version=7)
    event = parse(state.frame().decode().split("\n"), Stream()).events[0]
    assert (event.event, event.id, json.loads(event.data)) == ("status", "7", {"taskId": 3, "progress": 40})
    entry = Event(name="note", data={"id": 12}, topics=["n:9"], id=12)
    assert parse(entry.frame().decode().split("\n"), Stream()).events[0].id == "12"
    assert state.frame() is state.frame()  # encoded once, however many connections get it


def test_an_event_survives_the_wire_and_a_huge_one_is_cut_to_fit_a_notify_payload():
    event = Event(name="status", data={"n": 1, "message": "长" * 50_000, "error": "错" * 50_000},
                  topics=["t:1"], key="t:1", version=2)
    text = event.compact_json()
    assert len(text.encode()) < 8000
    back = Event.from_wire(json.loads(text))
    assert (back.name, back.key, back.version, back.topics, back.data["n"]) == ("status", "t:1", 2, ("t:1",), 1)


def state(key: str, version: int, *extra_topics: str) -> Event:
    return Event(name="status", data={"key": key, "version": version}, topics=(key, *extra_topics), key=key,
                 version=version)


def entry(number: int, topic: str = "notes:1") -> Event:
    return Event(name="note", data={"id": number}, topics=(topic,), id=number)


def test_dispatch_reaches_only_the_subscribers_of_that_topic():
    async def scenario():
        registry = Registry()
        watchers = [Connection(user_id=1, topics=[f"t:{n % 50}"]) for n in range(500)]
        for c in watchers:
            registry.register(c)
        listing = Connection(user_id=1, topics=["u:1"])
        other_user = Connection(user_id=2, topics=["u:2"])
        registry.register(listing)
        registry.register(other_user)
        assert registry.dispatch(state("t:7", 2, "u:1")) == 10 + 1  # ten watchers of t:7 + the owner's list
        assert [c for c in watchers if c.mailbox] == [c for c in watchers if "t:7" in c.topics]
        assert not other_user.mailbox
        for c in [*watchers, listing, other_user]:
            registry.unregister(c)
        assert registry.connection_count() == 0 and not registry.by_topic and not registry.per_user

    asyncio.run(scenario())


def test_a_connection_on_two_of_an_events_topics_gets_it_once():
    async def scenario():
        registry = Registry()
        both = Connection(user_id=1, topics=["t:1", "u:1"])
        registry.register(both)
        assert registry.dispatch(state("t:1", 2, "u:1")) == 1
        assert [e.version for e in both.take()] == [2]

    asyncio.run(scenario())


def test_a_slow_client_keeps_only_the_newest_state_per_key():
    async def scenario():
        registry = Registry()
        connection = Connection(user_id=1, topics=["u:1"])
        registry.register(connection)
        for version in range(2, 1002):
            registry.dispatch(state("t:1", version, "u:1"))
            registry.dispatch(state("t:2", version, "u:1"))
        registry.dispatch(state("t:1", 5, "u:1"))  # a late, stale event
        assert len(connection.mailbox) == 2
        assert [e.version for e in connection.take()] == [1001, 1001]
        assert registry.superseded == 2 * 999 + 1  # the stale one too
        registry.dispatch(state("t:1", 900, "u:1"))  # older than what was sent: never sent after a newer one
        assert connection.take() == []

    asyncio.run(scenario())


def test_a_slow_client_keeps_the_newest_log_events_only():
    async def scenario():
        registry = Registry()
        connection = Connection(user_id=1, topics=["notes:1"])
        registry.register(connection)
        for number in range(1, 151):
            registry.dispatch(entry(number))
        assert [e.id for e in connection.take()] == list(range(51, 151))

    asyncio.run(scenario())


def test_a_state_dispatched_between_snapshot_and_registration_still_arrives():
    async def scenario():
        registry = Registry()
        late = Connection(user_id=1, topics=["t:7"])
        late.sent["t:7"] = 3  # its snapshot was read at version 3 ...
        registry.dispatch(state("t:7", 4, "u:1"))  # ... then the record moved on before it registered
        registry.dispatch(state("t:8", 9, "u:1"))
        up_to_date = Connection(user_id=1, topics=["t:7"])
        up_to_date.sent["t:7"] = 4
        listing = Connection(user_id=1, topics=["u:1"])
        for c in (late, up_to_date, listing):
            registry.register(c)
        assert [e.version for e in late.take()] == [4]
        assert up_to_date.take() == [] and not up_to_date.wakeup.is_set()
        assert sorted(e.key for e in listing.take()) == ["t:7", "t:8"]

    asyncio.run(scenario())


def test_a_log_event_created_between_replay_and_registration_still_arrives_once():
    async def scenario():
        registry = Registry()
        registry.dispatch(entry(5))  # already in the stream's replay (it read up to id 5) ...
        registry.dispatch(entry(6))  # ... created after that read, before the stream registered
        registry.dispatch(entry(7, topic="notes:2"))  # someone else's
        stream = Connection(user_id=1, topics=["notes:1"], log_after=5)
        registry.register(stream)
        assert [e.id for e in stream.take()] == [6]
        registry.dispatch(entry(8))
        assert [e.id for e in stream.take()] == [8]
        no_replay = Connection(user_id=1, topics=["notes:1"])  # log_after None: nothing replayed
        registry.register(no_replay)
        assert no_replay.take() == []

    asyncio.run(scenario())


def test_repeats_of_a_state_are_not_counted_as_dispatched_or_superseded():
    async def scenario():
        registry = Registry()
        watcher = Connection(user_id=1, topics=["t:7"])
        watcher.sent["t:7"] = 3  # the snapshot
        registry.register(watcher)
        assert registry.dispatch(state("t:7", 3)) == 0  # the poller re-reading what the snapshot held
        assert registry.dispatch(state("t:7", 4)) == 1
        assert registry.dispatch(state("t:7", 4)) == 1  # still waiting in the mailbox: a plain repeat
        assert (registry.dispatched, registry.superseded) == (2, 0)
        assert [e.version for e in watcher.take()] == [4]
        assert registry.dispatch(state("t:7", 4)) == 0 and not watcher.wakeup.is_set()

    asyncio.run(scenario())


def test_the_recent_buffer_forgets_old_events_and_keeps_the_newest_per_key(monkeypatch):
    from streams import registry as module

    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])

    async def scenario():
        registry = Registry()
        registry.dispatch(state("t:1", 5))
        registry.dispatch(state("t:1", 4))  # late and older: the newer one is kept
        clock[0] += module.RECENT_S + 1
        registry.dispatch(state("t:2", 1))
        assert [e.key for e in registry.recent.matching(frozenset({"t:1", "t:2"}))] == ["t:2"]
        clock[0] -= module.RECENT_S + 1  # (as if t:1 were fresh) it was dropped, not just hidden
        assert "t:1" not in registry.recent.entries

    asyncio.run(scenario())
