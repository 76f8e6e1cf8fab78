"""SSE fan-out: one daphne process holding N streams while another process updates tasks.

    .venv/bin/python bench/sse_fanout.py                 # SQLite and PostgreSQL, N = 500, 2000, 5000
    .venv/bin/python bench/sse_fanout.py --db sqlite --n 500

For each database and N it prints: streams held, time to open them (a reconnect storm), commit →
client latency p50 / p99 / max, daphne RSS per open stream, daphne CPU seconds per 1,000 delivered
events, and the time until all N clients stream again after the web process restarts. Then, in
process, the registry's dispatch at 10,000 connections against a linear scan over all of them.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import setup_django, start_postgres, stop_postgres  # noqa: E402

PORT = int(os.environ.get("ZHIYI_BENCH_PORT", "8931"))  # another run on this machine: pick another


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_web(env: dict) -> subprocess.Popen:
    # A deep listen backlog: Twisted's default (50) makes a storm of connects wait for SYN retries.
    process = subprocess.Popen([str(Path(sys.executable).parent / "daphne"), "-e",
                                f"tcp:port={PORT}:interface=127.0.0.1:backlog=4096",
                                "zhiyi.asgi:application"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    import httpx

    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("daphne did not start")


class Client:
    """One EventSource-like client on a raw socket: reconnects when the server goes away."""

    def __init__(self, task_id: int, token: str, latencies: list[float]) -> None:
        self.task_id, self.token, self.latencies = task_id, token, latencies
        self.streaming = asyncio.Event()
        self.received = 0
        self.sessions = 0  # streams that delivered their snapshot (one per successful connect)
        self.measuring = False  # only live updates count, not snapshots sent on (re)connect

    async def run(self) -> None:
        while True:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
                writer.write((f"GET /sse/tasks/{self.task_id}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              f"Authorization: Token {self.token}\r\nAccept: text/event-stream\r\n\r\n").encode())
                await writer.drain()
                status = await reader.readline()
                if b" 200 " not in status:
                    raise ConnectionError(status)
                snapshot = True
                while True:
                    line = await reader.readline()
                    if not line:
                        raise ConnectionError("closed")
                    if line.startswith(b"data: "):
                        self.streaming.set()
                        if snapshot:
                            snapshot = False
                            self.sessions += 1
                            continue
                        payload = json.loads(line[6:])
                        # The updater sends its clock (ms) as the progress message's `done` count.
                        sent_ms = (payload.get("messageParams") or {}).get("done")
                        if self.measuring and isinstance(sent_ms, int) and sent_ms > 10**12:
                            self.latencies.append(time.time() - sent_ms / 1000)
                            self.received += 1
            except (OSError, ConnectionError, ValueError):
                self.streaming.clear()
                await asyncio.sleep(random.uniform(0.05, 0.5))


def updater(env: dict, task_ids: list[int], events: int, rate: float) -> subprocess.Popen:
    """A separate process that updates tasks as a worker would (through tasks.services)."""
    code = f"""
import os, random, sys, time
sys.path.insert(0, {str(ROOT)!r})
import django; django.setup()
from tasks import services
ids = {task_ids!r}
for n in range({events}):
    services.update_progress(task_id=random.choice(ids), run=1, progress=n % 90 + 5,
                             done=int(time.time() * 1000), total=0)  # the send time, read back by the clients
    time.sleep({1 / rate})
"""
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)


async def measure(n: int, env: dict, task_ids: list[int], token: str, events: int, rate: float) -> dict:
    web = start_web(env)
    base_rss = rss_kib(web.pid)
    latencies: list[float] = []
    clients = [Client(task_ids[i % len(task_ids)], token, latencies) for i in range(n)]
    started = time.monotonic()
    runners = [asyncio.create_task(c.run()) for c in clients]
    await asyncio.wait_for(asyncio.gather(*(c.streaming.wait() for c in clients)), timeout=300)
    open_s = time.monotonic() - started
    await asyncio.sleep(1)
    held_rss = rss_kib(web.pid)
    cpu_before = cpu_seconds(web.pid)
    for c in clients:
        c.measuring = True
    proc = updater(env, task_ids[: min(len(task_ids), n)], events, rate)
    while proc.poll() is None:
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)  # let the last events arrive
    for c in clients:
        c.measuring = False
    cpu = cpu_seconds(web.pid) - cpu_before
    delivered = sum(c.received for c in clients)
    held = sum(c.streaming.is_set() for c in clients)
    # Restart the web process: every client reconnects at once. A client counts as back only when
    # a NEW stream sent its snapshot: its old `streaming` flag is still set until its loop runs and
    # sees the close, which is why this must not wait on the flags (they read ~1 s, falsely).
    sessions = [c.sessions for c in clients]
    web.terminate()
    await asyncio.to_thread(web.wait, 20)
    restart = time.monotonic()
    web = await asyncio.to_thread(start_web, env)
    deadline = restart + 120
    while any(c.sessions <= s for c, s in zip(clients, sessions)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    reconnect_s = time.monotonic() - restart
    back = sum(c.sessions > s for c, s in zip(clients, sessions))
    for r in runners:
        r.cancel()
    web.terminate()
    web.wait(20)
    lat = sorted(latencies) or [float("nan")]
    return {"n": n, "held": held, "open_s": open_s, "p50_ms": 1000 * statistics.median(lat),
            "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))], "max_ms": 1000 * lat[-1],
            "rss_per_stream_kib": (held_rss - base_rss) / n, "cpu_per_1000": 1000 * cpu / max(delivered, 1),
            "delivered": delivered, "reconnect_s": reconnect_s, "back": back}


def run_database(url: str, sizes: list[int], events: int, rate: float) -> None:
    env = setup_django(url, ZHIYI_SSE_MAX_PER_USER="100000", ZHIYI_SSE_MAX_PER_PROCESS="100000",
                       ZHIYI_SSE_RETRY_MS="500", LOG_LEVEL="ERROR")
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.authtoken.models import Token

    from credits import services as credits
    from tasks import services

    user = get_user_model().objects.create_user("fanout")
    credits.grant(user_id=user.pk, amount=10**9, reason="bench")
    token = Token.objects.create(user=user).key
    task_ids = []
    for i in range(200):
        task = services.create_task(user_id=user.pk, upload=SimpleUploadedFile(f"{i}.txt", "简体".encode()),
                                    engine_name="opencc", source_lang="zh-Hans", target_lang="zh-Hant")
        services.claim_task(task_id=task.pk)
        task_ids.append(task.pk)
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    for n in sizes:
        r = asyncio.run(measure(n, env, task_ids, token, events, rate))
        print(f"{vendor:10s} N={r['n']:>5}: held {r['held']:>5}, opened in {r['open_s']:5.1f} s, latency p50 "
              f"{r['p50_ms']:6.1f} ms p99 {r['p99_ms']:7.1f} ms max {r['max_ms']:7.1f} ms, RSS/stream "
              f"{r['rss_per_stream_kib']:5.1f} KiB, CPU {r['cpu_per_1000']:.3f} s/1000 events "
              f"({r['delivered']} delivered), {r['back']} reconnected {r['reconnect_s']:5.1f} s after restart",
              flush=True)


def registry_dispatch() -> None:
    from streams.event import Event
    from streams.registry import Connection, Registry

    async def scenario() -> None:
        registry = Registry()
        connections = [Connection(user_id=n % 1000, topics=[f"task:{n}"]) for n in range(10000)]
        for c in connections:
            registry.register(c)
        events = []
        for v in range(2, 10002):
            key = f"task:{random.randrange(10000)}"
            events.append(Event(name="status", data={}, topics=(key, "user-tasks:-1"), key=key, version=v))
        start = time.perf_counter()
        for event in events:
            registry.dispatch(event)
        indexed = time.perf_counter() - start
        start = time.perf_counter()
        for event in events:  # the naive design: look at every connection for every event
            for c in connections:
                if event.key in c.topics:
                    c.offer(event)
        scan = time.perf_counter() - start
        print(f"registry: 10,000 events to 10,000 connections: indexed {1e6 * indexed / len(events):.1f} µs/event, "
              f"linear scan {1e6 * scan / len(events):.1f} µs/event, {scan / indexed:.0f}× faster")

    asyncio.run(scenario())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="updates per second")
    parser.add_argument("--child-url")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children (daphne) inherit it
    sizes = args.n or [500, 2000, 5000]
    if args.child_url:
        run_database(args.child_url, sizes, args.events, args.rate)
        return
    registry_dispatch()
    for target in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        pg_dir = None
        if target == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/fanout.sqlite3"
        else:
            url, pg_dir = start_postgres()
        try:
            cmd = [sys.executable, __file__, "--child-url", url, "--events", str(args.events), "--rate", str(args.rate)]
            for n in sizes:
                cmd += ["--n", str(n)]
            subprocess.run(cmd, cwd=ROOT, check=False)
        finally:
            if pg_dir:
                stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
