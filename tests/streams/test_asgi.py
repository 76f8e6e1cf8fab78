"""The stream views at the ASGI level (channels.testing): no server, the in-memory bus."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator
from django.db import connections
from rest_framework.authtoken.models import Token

from streams import bus, sse
from streams.bus import stats
from streams.event import Event
from streams.registry import registry
from tasks.events import task_topic, user_tasks_topic
from tests.streams.sse_client import Stream, parse
from zhiyi.asgi import application

# The views read the database on their own thread pool, so the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_db_thread(monkeypatch, settings):
    """One pool thread whose connection is closed afterwards (PostgreSQL would keep it open)."""
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(sse, "_db_pool", pool)
    settings.ZHIYI_BUS = "memory"
    yield
    pool.submit(connections.close_all).result()
    pool.shutdown()


def token_for(user) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Token {Token.objects.get_or_create(user=user)[0].key}".encode())]


def get(path: str, headers=()) -> dict:
    return async_to_sync(HttpCommunicator(application, "GET", path, headers=list(headers)).get_response)(timeout=5)


def events_of(body: bytes) -> list:
    return parse(body.decode().split("\n"), Stream()).events


def test_anonymous_and_foreign_requests_open_no_stream(user, other_user, task_row):
    task = task_row(owner=other_user, status="processing")
    assert get(f"/sse/tasks/{task.pk}/")["status"] == 401
    assert get("/sse/notifications/")["status"] == 401
    foreign = get(f"/sse/tasks/{task.pk}/", token_for(user))
    assert (foreign["status"], json.loads(foreign["body"])["code"]) == (404, "not_found")
    assert get("/sse/tasks/999999/", token_for(user))["status"] == 404
    assert registry.connection_count() == 0


def test_a_finished_task_sends_its_final_snapshot_and_ends_or_204_with_the_cursor(user, task_row):
    task = task_row(status="completed", progress=100, version=5)
    response = get(f"/sse/tasks/{task.pk}/", token_for(user))
    headers = dict(response["headers"])
    assert response["status"] == 200
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert (headers[b"cache-control"], headers[b"x-accel-buffering"]) == (b"no-cache", b"no")
    [event] = events_of(response["body"])
    assert (event.event, event.id, json.loads(event.data)["status"]) == ("status", "5", "completed")
    assert get(f"/sse/tasks/{task.pk}/", [*token_for(user), (b"last-event-id", b"5")])["status"] == 204
    assert get(f"/sse/tasks/{task.pk}/?lastEventId=5", token_for(user))["status"] == 204
    # A malformed cursor is ignored: the snapshot again.
    assert get(f"/sse/tasks/{task.pk}/", [*token_for(user), (b"last-event-id", b"x\x01")])["status"] == 200


def test_limits_refuse_with_429_per_user_and_503_per_process(user, task_row, settings):
    task = task_row(status="processing")
    settings.ZHIYI_SSE_MAX_PER_USER = 0
    assert get(f"/sse/tasks/{task.pk}/", token_for(user))["status"] == 429
    settings.ZHIYI_SSE_MAX_PER_PROCESS = 0
    refused = get("/sse/tasks/", token_for(user))
    assert refused["status"] == 503
    assert int(dict(refused["headers"])[b"retry-after"]) > 0
    assert registry.connection_count() == 0


def test_a_live_stream_gets_the_snapshot_then_bus_events_and_ends_after_the_terminal_one(user, task_row):
    task = task_row(status="processing", progress=10, version=3)
    headers = token_for(user)

    async def scenario() -> list:
        client = HttpCommunicator(application, "GET", f"/sse/tasks/{task.pk}/", headers=headers)
        await client.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await client.receive_output(5)
        assert start["status"] == 200
        body = (await client.receive_output(5))["body"]
        assert b"retry: " in body and registry.connection_count() == 1
        bus.publish(status(task, "processing", 50, 5))
        bus.publish(status(task, "processing", 40, 4))  # stale: never sent
        body += (await client.receive_output(5))["body"]
        bus.publish(status(task, "completed", 100, 6))
        while True:
            message = await client.receive_output(5)
            body += message["body"]
            if not message.get("more_body"):
                break
        await client.wait(5)
        return events_of(body)

    events = async_to_sync(scenario)()
    assert [(e.id, json.loads(e.data)["progress"]) for e in events] == [("3", 10), ("5", 50), ("6", 100)]
    assert registry.connection_count() == 0 and task_topic(task.pk) not in registry.by_topic


def status(task, state: str, progress: int, version: int) -> Event:  # type: ignore[no-untyped-def]
    data = {"taskId": task.pk, "status": state, "progress": progress, "message": "", "version": version,
            "resultUrl": None, "error": None}
    return Event(name="status", data=data, topics=(task_topic(task.pk), user_tasks_topic(task.user_id)),
                 key=task_topic(task.pk), version=version)


def test_metrics_show_this_process_streams_and_bus_counters(client, user, task_row):
    task = task_row(status="processing", version=3)
    headers = token_for(user)

    def scrape() -> dict[str, float]:
        text = client.get("/metrics").content.decode()
        return {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
                if line.startswith(("zhiyi_sse_", "zhiyi_events_", "zhiyi_bus_", "zhiyi_gc_"))}

    before = scrape()

    async def scenario() -> dict[str, float]:
        client_a = HttpCommunicator(application, "GET", f"/sse/tasks/{task.pk}/", headers=headers)
        client_b = HttpCommunicator(application, "GET", "/sse/tasks/", headers=headers)
        for c in (client_a, client_b):
            await c.send_input({"type": "http.request", "body": b"", "more_body": False})
            await c.receive_output(5)
            await c.receive_output(5)  # the snapshot
        bus.publish(status(task, "processing", 50, 4))
        await client_a.receive_output(5)
        await client_b.receive_output(5)
        during = await sync_to_async(scrape)()
        for c in (client_a, client_b):
            await c.send_input({"type": "http.disconnect"})
            await c.wait(5)
        return during

    during = async_to_sync(scenario)()
    assert during["zhiyi_sse_streams_open"] == 2 and during["zhiyi_sse_users_streaming"] == 1
    assert during["zhiyi_sse_streams_opened_total"] == before["zhiyi_sse_streams_opened_total"] + 2
    assert during["zhiyi_events_published_total"] == before["zhiyi_events_published_total"] + 1
    assert during["zhiyi_sse_dispatched_total"] == before["zhiyi_sse_dispatched_total"] + 2
    assert during["zhiyi_bus_reconnects_total"] == stats.reconnects
    assert during["zhiyi_gc_freezes_total"] >= 1  # the first stream froze what start-up left
    assert during['zhiyi_gc_collections_total{generation="0"}'] > 0
    after = scrape()
    assert after["zhiyi_sse_streams_open"] == 0 and after["zhiyi_sse_users_streaming"] == 0
