"""Load against real processes on PostgreSQL: 1,000 open streams while tasks are created at
5 a second for a minute; and two web processes with two worker clusters on one database, tasks
created on one web process and streamed from the other."""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from credits import services as credits
from tasks.models import ProcessingTask, Status
from tests.helpers import SIMPLIFIED, is_postgres
from tests.reliability.conftest import Follower, follow_all, metrics, record
from tests.servers import daphne_server, qcluster_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow,
              pytest.mark.skipif(not is_postgres(), reason="load runs on the production database")]

USERS, STREAMS_PER_USER = 10, 100
SECONDS = 300 if os.environ.get("ZHIYI_SOAK") == "1" else 60
RATE = 5  # creations a second


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else (values[0] if values else 0.0)


def users_with_tokens(prefix: str, count: int) -> list[tuple[object, str]]:
    out = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"{prefix}{n}", password="x")
        credits.grant(user_id=user.pk, amount=10**6, reason="load")
        out.append((user, Token.objects.create(user=user).key))
    return out


def create(base: str, token: str) -> tuple[int, float, int | None]:
    started = time.monotonic()
    response = httpx.post(f"{base}/api/tasks/", headers={"Authorization": f"Token {token}"}, timeout=30,
                          files={"file": ("doc.txt", SIMPLIFIED.encode(), "text/plain")},
                          data={"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"})
    task_id = response.json().get("id") if response.status_code == 201 else None
    return response.status_code, time.monotonic() - started, task_id


class Listeners:
    """STREAMS_PER_USER connections per user to /sse/tasks/, in one thread's event loop; records
    when each task's `completed` status first arrives (wall clock, to compare with finished_at)."""

    def __init__(self, port: int, tokens: list[str]) -> None:
        self.port, self.tokens = port, tokens
        self.completed_at: dict[int, float] = {}
        self.open = 0
        self.errors = 0
        self.stop = threading.Event()

    async def one(self, token: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=2**20)
        writer.write(f"GET /sse/tasks/ HTTP/1.0\r\nHost: x\r\nAuthorization: Token {token}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            self.errors += 1
            return
        self.open += 1
        try:
            while not self.stop.is_set():
                line = await reader.readline()
                if not line:
                    self.errors += 1  # the server should not end a stream under load
                    return
                if line.startswith(b"data: "):
                    data = json.loads(line[6:])
                    if data.get("status") == "completed":
                        self.completed_at.setdefault(data["taskId"], time.time())
        finally:
            writer.close()

    def run(self) -> None:
        async def everyone() -> None:
            clients = [asyncio.ensure_future(self.one(t)) for t in self.tokens for _ in range(STREAMS_PER_USER)]
            while not self.stop.is_set():
                await asyncio.sleep(0.2)
            for client in clients:
                client.cancel()
            await asyncio.gather(*clients, return_exceptions=True)

        asyncio.run(everyone())


def test_a_thousand_open_streams_while_tasks_are_created_for_a_minute(tmp_path, real_queue):
    accounts = users_with_tokens("load", USERS)
    env = {"ZHIYI_SSE_MAX_PER_USER": str(STREAMS_PER_USER + 5), "ZHIYI_Q_WORKERS": "2"}
    with daphne_server(log_path=tmp_path / "web.log", **env) as base, \
            qcluster_worker(log_path=tmp_path / "worker.log", **env):
        listeners = Listeners(urlsplit(base).port, [t for _, t in accounts])
        thread = threading.Thread(target=listeners.run, daemon=True)
        thread.start()
        try:
            wait_for(lambda: metrics(base)["zhiyi_sse_streams_open"] == USERS * STREAMS_PER_USER, timeout=120)
            results = []
            started = time.monotonic()
            for n in range(SECONDS * RATE):  # at a steady pace: the n-th creation is due at n / RATE
                while (ahead := started + n / RATE - time.monotonic()) > 0:
                    time.sleep(min(0.01, ahead))
                results.append(create(base, accounts[n % USERS][1]))
            created = [task_id for status, _, task_id in results if task_id]
            wait_for(lambda: not ProcessingTask.objects.filter(pk__in=created).exclude(status=Status.COMPLETED)
                     .exists(), timeout=120)
            wait_for(lambda: set(created) <= set(listeners.completed_at), timeout=60)
        finally:  # the listeners' event loop ends with the test, whatever happened
            listeners.stop.set()
            thread.join(timeout=60)
    finished = {pk: at.timestamp() for pk, at in ProcessingTask.objects.filter(pk__in=created)
                .values_list("pk", "finished_at")}
    event_latency = [max(0.0, listeners.completed_at[pk] - finished[pk]) for pk in created]
    api_latency = [seconds for _, seconds, _ in results]
    errors = sum(status != 201 for status, _, _ in results) + listeners.errors
    record("mixed load", streams=USERS * STREAMS_PER_USER, seconds=SECONDS, creations=len(results),
           api_p50_ms=round(1000 * statistics.median(api_latency), 1), api_p99_ms=round(1000 * p99(api_latency), 1),
           event_p50_ms=round(1000 * statistics.median(event_latency), 1),
           event_p99_ms=round(1000 * p99(event_latency), 1), errors=errors)
    assert errors == 0 and len(created) == SECONDS * RATE


def test_two_web_processes_and_two_worker_clusters_share_one_database(tmp_path, real_queue):
    accounts = users_with_tokens("pair", 4)
    env = {"ZHIYI_SSE_MAX_PER_USER": "50", "ZHIYI_Q_WORKERS": "1", "ZHIYI_BATCH_CHARS": "100",
           "ZHIYI_PROGRESS_INTERVAL_S": "0.05"}
    logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
    text = "".join(f"第{i}行简体中文内容。\n" for i in range(300))
    with daphne_server(log_path=tmp_path / "a.log", **env) as a, daphne_server(log_path=tmp_path / "b.log", **env) as b, \
            qcluster_worker(log_path=logs[0], Q_LOG_LEVEL="INFO", **env), \
            qcluster_worker(log_path=logs[1], Q_LOG_LEVEL="INFO", **env):
        task_ids = []
        for n in range(24):
            _, token = accounts[n % 4]
            response = httpx.post(f"{a}/api/tasks/", headers={"Authorization": f"Token {token}"}, timeout=30,
                                  files={"file": ("doc.txt", text.encode(), "text/plain")},
                                  data={"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"})
            assert response.status_code == 201
            task_ids.append((response.json()["id"], token))
        followers = [Follower(urlsplit(b).port, f"/sse/tasks/{pk}/", token) for pk, token in task_ids]
        follow_all(followers, timeout=120)
    split = [Path(log).read_text().count("processing translate-") for log in logs]
    record("two web + two workers", tasks=len(task_ids), streamed_from_other_web=sum(f.done for f in followers),
           worker1_jobs=split[0], worker2_jobs=split[1])
    assert all(f.done and f.statuses[-1] == "completed" for f in followers)
    assert all(jobs > 0 for jobs in split)  # both clusters took work
