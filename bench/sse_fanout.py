"""SSE fan-out, side by side: the bare 40-line view (bench/bare_sse.py) and ZhiYi under daphne
(with and without its garbage-collection policy) and under uvicorn, in ONE run, with one client
harness (raw sockets on uvloop) and one publisher schedule, servers alternated for each N.

    .venv/bin/python bench/sse_fanout.py                          # PostgreSQL, N = 1000, 2000, 5000
    .venv/bin/python bench/sse_fanout.py --db sqlite --n 500      # SQLite (no bare view: it LISTENs)
    .venv/bin/python bench/sse_fanout.py --servers uvicorn --n 10000

For each N and server it prints: streams held, time to open them, commit → client latency
p50 / p99 / max, the server's RSS per open stream, its CPU seconds per 1,000 delivered events, its
full (generation 2) garbage collections during the updates and their longest pause (ZhiYi's
/metrics), and for ZhiYi the time until all N clients stream again after a restart; then each
figure as a ratio to the bare view's. Then, in process, the registry's dispatch at 10,000
connections against a linear scan over all of them.
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
BIN = Path(sys.executable).parent
# label → (command line, extra environment). The same daphne line for the bare view and ZhiYi.
SERVERS = {
    "bare": ([str(BIN / "daphne"), "-e", f"tcp:port={PORT}:interface=127.0.0.1:backlog=4096",
              "bench.bare_sse:application"], {}),
    "daphne-gc-off": (None, {"ZHIYI_GC_FREEZE_S": "0"}),
    "daphne": (None, {}),
    "uvicorn": (None, {}),
}


def server_argv(label: str) -> list[str]:
    from ops.management.commands.run_web import command_line

    argv = SERVERS[label][0]
    return argv or command_line(server=label.split("-")[0], host="127.0.0.1", port=PORT, proxy_headers=False)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_web(label: str, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(server_argv(label), cwd=ROOT, env={**env, **SERVERS[label][1]},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    import httpx

    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{label} did not start")


def gc_figures() -> dict[str, float]:
    """ZhiYi's garbage-collection counters for generation 2, from its /metrics."""
    import httpx

    wanted = {'zhiyi_gc_collections_total{generation="2"}': "collections",
              'zhiyi_gc_pause_seconds_total{generation="2"}': "pause_s",
              'zhiyi_gc_pause_max_seconds{generation="2"}': "max_s"}
    figures = {}
    for line in httpx.get(f"http://127.0.0.1:{PORT}/metrics", timeout=30).text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in wanted:
            figures[wanted[name]] = float(value)
    return figures


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


async def measure(label: str, n: int, env: dict, task_ids: list[int], token: str, events: int,
                  rate: float) -> dict:
    zhiyi = label != "bare"
    web = start_web(label, env)
    base_rss = rss_kib(web.pid)
    latencies: list[float] = []
    clients = [Client(task_ids[i % len(task_ids)], token, latencies) for i in range(n)]
    started = time.monotonic()
    runners = [asyncio.create_task(c.run()) for c in clients]
    await asyncio.wait_for(asyncio.gather(*(c.streaming.wait() for c in clients)), timeout=300)
    open_s = time.monotonic() - started
    await asyncio.sleep(1)
    held_rss = rss_kib(web.pid)
    gc_before = await asyncio.to_thread(gc_figures) if zhiyi else {}
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
    gc_after = await asyncio.to_thread(gc_figures) if zhiyi else {}
    delivered = sum(c.received for c in clients)
    held = sum(c.streaming.is_set() for c in clients)
    reconnect_s, back = float("nan"), 0
    if zhiyi:
        # Restart the web process: every client reconnects at once. A client counts as back only
        # when a NEW stream sent its snapshot (its old `streaming` flag is still set until its loop
        # sees the close, so waiting on the flags would read ~1 s, falsely).
        sessions = [c.sessions for c in clients]
        web.terminate()
        await asyncio.to_thread(web.wait, 20)
        restart = time.monotonic()
        web = await asyncio.to_thread(start_web, label, env)
        deadline = restart + 120
        while any(c.sessions <= s for c, s in zip(clients, sessions)) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        reconnect_s = time.monotonic() - restart
        back = sum(c.sessions > s for c, s in zip(clients, sessions))
    for r in runners:
        r.cancel()
    await asyncio.gather(*runners, return_exceptions=True)
    web.terminate()
    await asyncio.to_thread(web.wait, 20)
    lat = sorted(latencies) or [float("nan")]
    return {"server": label, "n": n, "held": held, "open_s": open_s, "p50_ms": 1000 * statistics.median(lat),
            "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))], "max_ms": 1000 * lat[-1],
            "rss_per_stream_kib": (held_rss - base_rss) / n, "cpu_per_1000": 1000 * cpu / max(delivered, 1),
            "delivered": delivered, "reconnect_s": reconnect_s, "back": back,
            "gc2": gc_after.get("collections", 0) - gc_before.get("collections", 0),
            "gc2_pause_s": gc_after.get("pause_s", 0) - gc_before.get("pause_s", 0),
            "gc2_max_ms": 1000 * gc_after.get("max_s", 0)}


def report(r: dict) -> None:
    gc = (f", gen-2 GCs {r['gc2']:.0f} ({r['gc2_pause_s']:.2f} s, longest ever {r['gc2_max_ms']:.0f} ms)"
          if r["server"] != "bare" else "")
    storm = f", {r['back']} back {r['reconnect_s']:.1f} s after restart" if r["server"] != "bare" else ""
    print(f"  {r['server']:14s} N={r['n']:>5}: held {r['held']:>5}, opened in {r['open_s']:5.1f} s, p50 "
          f"{r['p50_ms']:6.1f} ms p99 {r['p99_ms']:7.1f} ms max {r['max_ms']:7.1f} ms, RSS/stream "
          f"{r['rss_per_stream_kib']:5.1f} KiB, CPU {r['cpu_per_1000']:.3f} s/1000 ({r['delivered']} delivered)"
          f"{gc}{storm}", flush=True)


def ratios(rows: list[dict]) -> None:
    bare = next((r for r in rows if r["server"] == "bare"), None)
    if bare is None:
        return
    for r in rows:
        if r is bare:
            continue
        print(f"  {r['server']:14s} ÷ bare: p50 {r['p50_ms'] / bare['p50_ms']:.2f}×, p99 "
              f"{r['p99_ms'] / bare['p99_ms']:.2f}×, opened in {r['open_s'] / bare['open_s']:.2f}×, RSS/stream "
              f"{r['rss_per_stream_kib'] / bare['rss_per_stream_kib']:.2f}×, CPU/1000 "
              f"{r['cpu_per_1000'] / bare['cpu_per_1000']:.2f}×", flush=True)


def run_database(url: str, sizes: list[int], servers: list[str], events: int, rate: float) -> None:
    env = setup_django(url, ZHIYI_SSE_MAX_PER_USER="100000", ZHIYI_SSE_MAX_PER_PROCESS="100000",
                       ZHIYI_SSE_RETRY_MS="500", LOG_LEVEL="ERROR")
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from credits import services as credits
    from streams.bus.postgres import listen_dsn
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
    vendor = connection.vendor
    if vendor == "postgresql":
        env["BARE_SSE_DSN"] = listen_dsn()
    else:
        servers = [s for s in servers if s != "bare"]  # the bare view needs LISTEN
    connection.close()
    for n in sizes:
        print(f"{vendor}, N = {n}:", flush=True)
        rows = []
        for label in servers:
            with asyncio.Runner(loop_factory=_loop()) as runner:  # the clients on uvloop
                rows.append(runner.run(measure(label, n, env, task_ids, token, events, rate)))
            report(rows[-1])
        ratios(rows)


def _loop():  # type: ignore[no-untyped-def]
    import uvloop

    return uvloop.new_event_loop


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
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--servers", default=",".join(SERVERS), help=f"comma-separated, of {', '.join(SERVERS)}")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="updates per second")
    parser.add_argument("--child-url")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children (the servers) inherit it
    sizes = args.n or [1000, 2000, 5000]
    servers = [s for s in args.servers.split(",") if s]
    unknown = set(servers) - set(SERVERS)
    if unknown:
        raise SystemExit(f"unknown servers: {', '.join(sorted(unknown))}")
    if args.child_url:
        run_database(args.child_url, sizes, servers, args.events, args.rate)
        return
    print(f"uptime: {subprocess.check_output(['uptime'], text=True).strip()}", flush=True)
    registry_dispatch()
    for target in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        pg_dir = None
        if target == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/fanout.sqlite3"
        else:
            url, pg_dir = start_postgres()
        try:
            cmd = [sys.executable, __file__, "--child-url", url, "--events", str(args.events), "--rate",
                   str(args.rate), "--servers", ",".join(servers)]
            for n in sizes:
                cmd += ["--n", str(n)]
            subprocess.run(cmd, cwd=ROOT, check=False)
        finally:
            if pg_dir:
                stop_postgres(pg_dir)
    print(f"uptime: {subprocess.check_output(['uptime'], text=True).strip()}", flush=True)


if __name__ == "__main__":
    main()
