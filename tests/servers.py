"""Real processes for tests: a daphne web server and a django-q2 qcluster worker, started as
subprocesses on the test database. Use them from tests marked `transactional_db` (the data must
be committed for another process to see it)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from django.conf import settings

from tests.helpers import subprocess_database_url

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
def daphne_server(*, port: int | None = None, log_path: Path | None = None, **env: str) -> Iterator[str]:
    """A real daphne serving zhiyi.asgi on 127.0.0.1; yields its base URL once it answers."""
    port = port or free_port()
    log = open(log_path or os.devnull, "wb")
    process = subprocess.Popen(
        [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "zhiyi.asgi:application"],
        cwd=ROOT, env=subprocess_env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process)
        yield base
    finally:
        _stop(process)
        log.close()


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
