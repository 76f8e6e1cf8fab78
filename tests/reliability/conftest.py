"""Shared pieces of the reliability suite: raw clients that misbehave, process figures read from
/proc, the /metrics reader, and the report every test adds its figures to."""
from __future__ import annotations

import json
import os
import socket
import struct
import time
from pathlib import Path

import httpx
import pytest

REPORT = Path(os.environ.get("ZHIYI_RELIABILITY_REPORT", "") or Path(__file__).resolve().parents[2] / "var" /
              "reliability.jsonl")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def record(test: str, **figures: object) -> None:
    """Print a test's figures and append them to the report docs/reliability.md is made from."""
    line = {"test": test, "database": os.environ.get("ZHIYI_RELIABILITY_DB", ""), **figures}
    print(json.dumps(line, ensure_ascii=False))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


@pytest.fixture(autouse=True)
def _database_label(request):
    from tests.helpers import is_postgres

    os.environ["ZHIYI_RELIABILITY_DB"] = "postgres" if is_postgres() else "sqlite"


def metrics(base: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in httpx.get(base + "/metrics", timeout=10).text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def ticks_over(pid: int, seconds: float) -> int:
    """CPU ticks the process used while the test waited `seconds` (what "at rest" means)."""
    before = cpu_ticks(pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)
    return cpu_ticks(pid) - before


def get_then_reset(port: int, path: str, token: str, *, read_first: bool = False) -> None:
    """A complete GET, then a TCP reset (SO_LINGER 0): before reading anything, or after the
    response has started to arrive."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        if read_first:
            sock.recv(256)


class Follower:
    """One client of a task stream, as a browser's EventSource and the page script behave: it
    reads status events, and when the stream drops or is refused it reconnects with backoff,
    sending the id of the last event it saw. Done when it holds a final status."""

    FINAL = ("completed", "failed", "cancelled")

    def __init__(self, port: int, path: str, token: str) -> None:
        self.port, self.path, self.token = port, path, token
        self.statuses: list[str] = []
        self.last_id: str | None = None
        self.connects = 0

    @property
    def done(self) -> bool:
        return bool(self.statuses) and self.statuses[-1] in self.FINAL

    async def run(self, deadline: float) -> None:
        import asyncio

        backoff = 0.2
        while not self.done and time.monotonic() < deadline:
            try:
                await asyncio.wait_for(self._once(), timeout=max(0.1, deadline - time.monotonic()))
                backoff = 0.2
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                pass
            if not self.done:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)

    async def _once(self) -> None:
        import asyncio

        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.connects += 1
        try:
            cursor = f"Last-Event-ID: {self.last_id}\r\n" if self.last_id else ""
            writer.write(f"GET {self.path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Token {self.token}\r\n"
                         f"{cursor}Accept: text/event-stream\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            if status == 204:  # the final state is already ours
                return
            if status != 200:
                raise ValueError(status)
            event_id, data = None, None
            while line := await reader.readline():
                line = line.rstrip(b"\r\n")
                if line.startswith(b"id: "):
                    event_id = line[4:].decode()
                elif line.startswith(b"data: "):
                    data = line[6:]
                elif not line and data is not None:
                    self.statuses.append(json.loads(data)["status"])
                    self.last_id, data = event_id, None
                    if self.done:
                        return
        finally:
            writer.close()


def follow_all(followers: list[Follower], timeout: float) -> None:
    """Run every follower in one thread's event loop until each holds a final status."""
    import asyncio

    async def everyone() -> None:
        deadline = time.monotonic() + timeout
        await asyncio.gather(*(f.run(deadline) for f in followers))

    asyncio.run(everyone())
