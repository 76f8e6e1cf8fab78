"""Real processes for tests: a web server (daphne or uvicorn) and a django-q2 qcluster worker, started as
subprocesses on the test database. Use them from tests marked `transactional_db` (the data must
be committed for another process to see it)."""
from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import psutil
from django.conf import settings

from tests.helpers import subprocess_database_url

ROOT = Path(__file__).resolve().parent.parent


# Servers listen below the kernel's ephemeral range (32768+), where the thousands of client
# connections of the suite take their local ports, and each half of the suite (scripts/test.sh
# runs both at once) has its own block: a port just found free cannot be taken meanwhile by a
# client socket or by the other half's server, whose health check would then answer for ours.
_PORT_BLOCK = (26000, 32000) if os.environ.get("DATABASE_URL") else (20000, 26000)
_next_port = itertools.cycle(range(*_PORT_BLOCK))
for _ in range(os.getpid() % (_PORT_BLOCK[1] - _PORT_BLOCK[0])):  # reruns start elsewhere in the block
    next(_next_port)


def free_port() -> int:
    for _ in range(_PORT_BLOCK[1] - _PORT_BLOCK[0]):
        port = next(_next_port)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_PORT_BLOCK}")


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for a child process that shares this test's database and media folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIYI_SQLITE_TEST_NAME",)}
    env.update({
        "DJANGO_SETTINGS_MODULE": "zhiyi.settings",
        "DATABASE_URL": subprocess_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ZHIYI_WELCOME_CREDITS": str(settings.ZHIYI_WELCOME_CREDITS),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def qcluster_worker(*, log_path: Path | None = None, **env: str) -> Iterator[subprocess.Popen]:
    """A real `manage.py qcluster` (ORM broker) on the test database, keeping its connections as
    a deployed worker does."""
    log = open(log_path or os.devnull, "wb")
    env = {"DB_CONN_MAX_AGE": "600", **env}
    process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=subprocess_env(**env),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        _stop(process)
        log.close()


@contextmanager
def supervised_worker(*, log_path: Path | None = None, tick: float = 0.5, **env: str) -> Iterator[subprocess.Popen]:
    """`manage.py run_worker`: a qcluster under its supervisor, on the test database."""
    log = open(log_path or os.devnull, "wb")
    process = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--tick", str(tick)], cwd=ROOT,
                               env=subprocess_env(**env), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        yield process
    finally:
        try:
            family = psutil.Process(process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        _stop(process, timeout=60)
        for child in family:  # whatever of its cluster is left (it runs in a process group of its own)
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        log.close()


def cluster_processes(supervisor: subprocess.Popen) -> dict[str, list[psutil.Process]]:
    """A supervised cluster's processes by role, from their titles (setproctitle): "pusher",
    "monitor", "idle" and "busy" workers (processing a job), and "main" (the rest)."""
    roles: dict[str, list[psutil.Process]] = {"pusher": [], "monitor": [], "idle": [], "busy": [], "main": []}
    for child in psutil.Process(supervisor.pid).children(recursive=True):
        try:
            title = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        role = next((r for r, word in (("pusher", " pusher"), ("monitor", " monitor"), ("idle", " idle"),
                                       ("busy", " processing ")) if word in title), "main")
        roles[role].append(child)
    return roles


class ServerUrl(str):
    """A server's base URL, and its process (for its pid: CPU, memory and file descriptors)."""

    process: subprocess.Popen


@contextmanager
def web_server(server: str = "daphne", *, port: int | None = None, log_path: Path | None = None,
               **env: str) -> Iterator[ServerUrl]:
    """A real ASGI server (daphne or uvicorn, with the command line `manage.py run_web` uses)
    serving zhiyi.asgi on 127.0.0.1; yields its base URL once it answers."""
    from ops.management.commands.run_web import command_line

    port = port or free_port()
    log = open(log_path or os.devnull, "wb")
    process = subprocess.Popen(
        command_line(server=server, host="127.0.0.1", port=port, proxy_headers=False),
        cwd=ROOT, env=subprocess_env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = ServerUrl(f"http://127.0.0.1:{port}")
    base.process = process
    try:
        wait_until_up(base + "/healthz", process)
        yield base
    finally:
        _stop(process)
        log.close()


def daphne_server(**kwargs) -> AbstractContextManager[ServerUrl]:  # type: ignore[no-untyped-def]
    return web_server("daphne", **kwargs)


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def wait_for(predicate, timeout: float = 30, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


class RedisServer:
    """A real redis-server on 127.0.0.1 with nothing kept on disk; `restart()` drops every
    connection and every subscription, as a crash would."""

    def __init__(self, directory: Path) -> None:
        self.directory, self.port = directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._answers, timeout=10, interval=0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def _answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False


@contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
