"""Streams against a real web server (daphne and uvicorn: the `web_server` fixture) and a real
qcluster, on the test database (SQLite or PostgreSQL)."""
from __future__ import annotations

import threading
import time

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

from notifications.services import notify
from tasks import services
from tests.helpers import is_postgres, upload
from tests.servers import qcluster_worker, wait_for
from tests.streams.sse_client import read

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SLOW_WORKER = {"ZHIYI_BATCH_CHARS": "200", "ZHIYI_PROGRESS_INTERVAL_S": "0.05"}


def long_text(tag: str, lines: int = 800) -> str:
    return "".join(f"第{i}行简体中文{tag}的测试内容。\n" for i in range(lines))


def make_user(name: str = "streamer"):
    user = get_user_model().objects.create_user(name, password="x")
    return user, Token.objects.create(user=user).key


def create_task(user, text: str):
    return services.create_task(user_id=user.pk, upload=upload(text), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")


def open_streams(base: str) -> int:
    for line in httpx.get(base + "/metrics").text.splitlines():
        if line.startswith("zhiyi_sse_streams_open "):
            return int(float(line.split()[1]))
    raise AssertionError("no stream gauge")


def test_a_task_streams_from_queued_to_completed_in_order(web_server, real_queue, tmp_path):
    user, token = make_user()
    task = create_task(user, long_text("甲", 3000))
    with web_server(log_path=tmp_path / "web.log", ZHIYI_SQLITE_POLL_S="0.05") as base, \
            qcluster_worker(log_path=tmp_path / "worker.log", **SLOW_WORKER):
        started = time.monotonic()
        status, stream = read(f"{base}/sse/tasks/{task.pk}/", token=token, timeout=60)
    assert status == 200 and stream.ended  # the server ends the stream after the terminal event
    assert time.monotonic() - started < 60
    events = [e.json for e in stream.events if e.event == "status"]
    versions = [e["version"] for e in events]
    assert versions == sorted(set(versions)), versions
    assert [int(e.id) for e in stream.events] == versions  # id: is the version
    statuses = [e["status"] for e in events]
    assert statuses[0] in ("queued", "processing") and statuses[-1] == "completed"
    assert any(e["status"] == "processing" and 0 < e["progress"] < 100 for e in events), events
    assert events[-1]["resultUrl"] == f"/api/v1/tasks/{task.pk}/result/"
    assert stream.retry and stream.retry[0] > 0
    # Reconnecting after the end: with the final id the server says "stop" (204) ...
    with web_server() as base:
        again, _ = read(f"{base}/sse/tasks/{task.pk}/", token=token, headers={"Last-Event-ID": str(versions[-1])})
        assert again == 204
        # ... and with an older one it sends the final snapshot and ends.
        status, replay = read(f"{base}/sse/tasks/{task.pk}/", token=token,
                              headers={"Last-Event-ID": str(versions[0])})
        assert status == 200 and replay.ended and [e.json["status"] for e in replay.events] == ["completed"]


def test_streams_refuse_strangers_and_enforce_limits(web_server, real_queue, tmp_path):
    owner, owner_token = make_user("owner")
    _, stranger_token = make_user("stranger")
    task = create_task(owner, "简体")
    env = {"ZHIYI_SSE_MAX_PER_USER": "2", "ZHIYI_SSE_MAX_PER_PROCESS": "3", "ZHIYI_SSE_HEARTBEAT_S": "0.2"}
    with web_server(log_path=tmp_path / "web.log", **env) as base:
        assert read(f"{base}/sse/tasks/{task.pk}/", token=stranger_token)[0] == 404
        assert httpx.get(f"{base}/sse/tasks/{task.pk}/").status_code == 401
        assert read(f"{base}/sse/tasks/999999/", token=owner_token)[0] == 404
        assert open_streams(base) == 0

        holders: list[threading.Thread] = []
        release = threading.Event()

        def hold(token: str) -> None:
            read(f"{base}/sse/tasks/", token=token, stop=lambda e, s: release.is_set(), timeout=30)

        for token in (owner_token, owner_token, stranger_token):
            thread = threading.Thread(target=hold, args=(token,))
            thread.start()
            holders.append(thread)
        wait_for(lambda: open_streams(base) == 3, timeout=10)
        too_many_for_user = httpx.get(f"{base}/sse/tasks/", headers={"Authorization": f"Token {owner_token}"})
        assert too_many_for_user.status_code in (429, 503)
        too_many_here = httpx.get(f"{base}/sse/notifications/", headers={"Authorization": f"Token {stranger_token}"})
        assert too_many_here.status_code == 503 and int(too_many_here.headers["Retry-After"]) > 0
        release.set()  # holders stop at their next heartbeat and disconnect
        for thread in holders:
            thread.join(10)
        wait_for(lambda: open_streams(base) == 0, timeout=10)

        # A heartbeat comment arrives while nothing happens, without an id.
        status, stream = read(f"{base}/sse/tasks/{task.pk}/", token=owner_token,
                              stop=lambda e, s: len(s.comments) >= 2, timeout=10)
        assert status == 200 and stream.comments[:2] == ["keep-alive", "keep-alive"], stream
        assert [e.id for e in stream.events] == ["1"]


def test_connects_and_disconnects_in_a_loop_leave_no_trace(web_server, real_queue, tmp_path):
    user, token = make_user()
    task = create_task(user, "简体")
    with web_server(log_path=tmp_path / "web.log") as base:
        with httpx.Client(timeout=5) as client:
            for _ in range(300):
                with client.stream("GET", f"{base}/sse/tasks/{task.pk}/",
                                   headers={"Authorization": f"Token {token}"}) as response:
                    next(response.iter_lines())  # read the first line, then hang up mid-stream
        wait_for(lambda: open_streams(base) == 0, timeout=15)


def test_notifications_replay_unread_after_the_last_event_id(web_server, tmp_path):
    user, token = make_user()
    ids = [notify(user_id=user.pk, kind="system", title=f"n{i}").pk for i in range(4)]
    with web_server(log_path=tmp_path / "web.log") as base:
        status, stream = read(f"{base}/sse/notifications/", token=token, headers={"Last-Event-ID": str(ids[1])},
                              stop=lambda e, s: len(s.events) >= 2)
        assert [int(e.id) for e in stream.events] == ids[2:]
        assert stream.events[0].json["title"] == "n2" and set(stream.events[0].json) == {
            "id", "kind", "title", "body", "url", "createdAt"}
        status, stream = read(f"{base}/sse/notifications/", token=token, headers={"Last-Event-ID": "not-a-number"},
                              stop=lambda e, s: len(s.events) >= 5)
        assert stream.events[0].event == "reset" and len(stream.events) == 5

        # A notification made while the stream is open arrives live.
        got: list = []
        thread = threading.Thread(target=lambda: got.append(read(
            f"{base}/sse/notifications/", token=token, headers={"Last-Event-ID": str(ids[-1])},
            stop=lambda e, s: bool(s.events), timeout=20)))
        thread.start()
        wait_for(lambda: open_streams(base) == 1, timeout=10)
        fresh = notify(user_id=user.pk, kind="system", title="live one")
        connection.close()
        thread.join(20)
        assert got and got[0][1].events[0].json["title"] == "live one" and got[0][1].events[0].id == str(fresh.pk)


def test_the_listen_connection_killed_mid_stream_catches_up(web_server, real_queue, tmp_path):
    if not is_postgres():
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    user, token = make_user()
    task = create_task(user, long_text("乙", 200))
    with web_server(log_path=tmp_path / "web.log") as base:
        got: list = []
        reader = threading.Thread(target=lambda: got.append(read(f"{base}/sse/tasks/{task.pk}/", token=token,
                                                                 timeout=60)))
        reader.start()
        wait_for(lambda: open_streams(base) == 1, timeout=10)

        def listeners() -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()")
                return [row[0] for row in cursor.fetchall()]

        pids = wait_for(listeners, timeout=10)
        with connection.cursor() as cursor:
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        with qcluster_worker(log_path=tmp_path / "worker.log"):
            reader.join(60)
        assert got, "the stream did not end"
        status, stream = got[0]
        assert status == 200 and stream.events[-1].json["status"] == "completed"
        assert wait_for(lambda: set(listeners()) - set(pids), timeout=10)  # it reconnected
