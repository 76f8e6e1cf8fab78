"""The realtime layer names no app: a stream and its feed registered from outside are served
and caught up like the platform's own, and the channels backend carries events over a real
Channels layer."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator
from django.db import connections
from rest_framework.authtoken.models import Token

from streams import bus, routes, sse
from streams.bus.base import read_feeds, start_cursors
from streams.event import Event
from streams.registry import Connection, registry
from tests.streams.sse_client import Stream, parse
from zhiyi.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_db_thread(monkeypatch, settings):
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(sse, "_db_pool", pool)
    settings.ZHIYI_BUS = "memory"
    yield
    pool.submit(connections.close_all).result()
    pool.shutdown()


class Counter(routes.Feed[int]):
    """A toy feed: the "counter" topics' state is read from this list, not from any model."""

    values = [0]

    def start(self) -> int:
        return 0

    def read(self, topics: set[str], cursor: int) -> tuple[list[Event], int]:
        if "counter" not in topics or len(self.values) <= cursor:
            return [], cursor
        return [counter_event(len(self.values))], len(self.values)


def counter_event(version: int) -> Event:
    return Event(name="tick", data={"n": version}, topics=("counter",), key="counter", version=version)


def open_counter(request, user):  # type: ignore[no-untyped-def]
    connection = Connection(user_id=user.pk, topics=["counter"])
    connection.sent["counter"] = 1
    return routes.Opened(connection, [counter_event(1).frame()],
                         is_final=lambda event: event.data["n"] >= 3)


@pytest.fixture
def counter_stream(monkeypatch):
    monkeypatch.setattr(routes, "_streams", list(routes._streams))
    monkeypatch.setattr(routes, "_feeds", list(routes._feeds))
    routes.register_stream(r"^/sse/counter/$", open_counter)
    routes.register_feed(Counter())


def test_a_stream_registered_from_outside_the_layer_is_served_to_its_end(user, counter_stream):
    headers = [(b"authorization", f"Token {Token.objects.create(user=user).key}".encode())]

    async def scenario() -> bytes:
        client = HttpCommunicator(application, "GET", "/sse/counter/", headers=headers)
        await client.send_input({"type": "http.request", "body": b"", "more_body": False})
        assert (await client.receive_output(5))["status"] == 200
        body = (await client.receive_output(5))["body"]
        bus.publish(counter_event(2))
        body += (await client.receive_output(5))["body"]
        bus.publish(counter_event(3))
        while True:
            message = await client.receive_output(5)
            body += message["body"]
            if not message.get("more_body"):
                return body

    events = parse(async_to_sync(scenario)().decode().split("\n"), Stream()).events
    assert [(e.event, e.id) for e in events] == [("tick", "1"), ("tick", "2"), ("tick", "3")]
    assert registry.connection_count() == 0
    assert async_to_sync(HttpCommunicator(application, "GET", "/sse/counter/").get_response)(5)["status"] == 401


def test_a_catch_up_read_covers_every_registered_feed(counter_stream):
    Counter.values = [0, 0, 0]
    cursors = start_cursors()
    events, moved = read_feeds(cursors, {"counter"})
    assert [e.version for e in events if e.key == "counter"] == [3]
    assert read_feeds(moved, {"counter"})[0] == []  # nothing new since the cursor
    assert read_feeds(cursors, set())[0] == []  # nobody listens: nothing is read


def test_the_channels_backend_carries_events_over_a_channel_layer(settings):
    settings.ZHIYI_BUS = "channels"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers, get_channel_layer

    from streams.bus.channels import GROUP

    channel_layers.backends.clear()

    async def scenario() -> list[Event]:
        listening = registry.connection_count()
        watcher = Connection(user_id=1, topics=["t:1"])
        registry.register(watcher)
        listener = asyncio.ensure_future(bus.backend().listen())
        try:
            layer = get_channel_layer()
            while not layer.groups.get(GROUP):  # the listener joins its group before anything is sent
                await asyncio.sleep(0)
            await sync_to_async(bus.publish)(Event(name="status", data={"v": 2}, topics=("t:1",), key="t:1",
                                                   version=2))
            await asyncio.wait_for(watcher.wakeup.wait(), 5)
            return watcher.take()
        finally:
            listener.cancel()
            registry.unregister(watcher)
            assert registry.connection_count() == listening

    [event] = async_to_sync(scenario)()
    assert (event.key, event.version, event.data) == ("t:1", 2, {"v": 2})
