"""One sweep per process over every open stream, instead of a timer per stream: it wakes a
stream whose heartbeat is due or whose lifetime is over, and cancels one whose write has hung
past ZHIYI_SSE_SEND_TIMEOUT_S (a client that stopped reading), and applies the process's
garbage-collection policy (streams.gcpolicy). It also drains the streams when
the process is told to stop (SIGTERM): each ends with a jittered `retry:`, so clients spread
their reconnects over the other processes, and then the server's own handler runs."""
from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings

from streams import gcpolicy
from streams.registry import registry

logger = logging.getLogger("zhiyi.streams")
DRAIN_WAIT_S = 3.0  # how long a stopping process waits for its streams to say goodbye

_sweeper: asyncio.Task | None = None
_previous_handler: Any = None
_drain_installed = False


def interval() -> float:
    return max(0.01, min(1.0, settings.ZHIYI_SSE_HEARTBEAT_S / 2, settings.ZHIYI_SSE_SEND_TIMEOUT_S / 2))


def sweep_once(now: float | None = None) -> None:
    now = time.monotonic() if now is None else now
    heartbeat, send_timeout = settings.ZHIYI_SSE_HEARTBEAT_S, settings.ZHIYI_SSE_SEND_TIMEOUT_S
    for connection in list(registry.connections):
        if connection.writing_since is not None and now - connection.writing_since > send_timeout:
            if connection.task is not None:
                connection.task.cancel()  # the client stopped reading: drop it, free its buffers
        elif now >= connection.deadline:
            connection.end("lifetime")
        elif now - connection.last_write >= heartbeat:
            connection.wakeup.set()


async def _run() -> None:
    while True:
        await asyncio.sleep(interval())
        try:
            sweep_once()
            gcpolicy.tick()
        except Exception:  # noqa: BLE001 — the sweep must outlive any one bad stream
            logger.exception("stream sweep failed")


def ensure_running() -> None:
    """Start this process's sweep (and its SIGTERM drain) with the first stream, once."""
    global _sweeper
    if _sweeper is not None and not _sweeper.done():
        return
    loop = asyncio.get_running_loop()
    gcpolicy.install()
    _sweeper = loop.create_task(_run(), context=contextvars.Context())
    _install_drain(loop)


def _install_drain(loop: asyncio.AbstractEventLoop) -> None:
    """Take SIGTERM over (once), keeping the server's own handler to call after the drain."""
    global _previous_handler, _drain_installed
    if _drain_installed:
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, lambda signum, frame: loop.call_soon_threadsafe(
            lambda: loop.create_task(_drain_then_stop(signum, frame))))
    except ValueError:  # not the main thread (an in-process test server): no signals to take over
        return
    _previous_handler, _drain_installed = previous, True


async def drain() -> int:
    """End every stream with a jittered `retry:` and refuse new ones; returns how many were open."""
    registry.draining = True
    open_now = list(registry.connections)
    for connection in open_now:
        connection.end("drain")
    deadline = time.monotonic() + DRAIN_WAIT_S
    while registry.connections and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return len(open_now)


async def _drain_then_stop(signum: int, frame: FrameType | None) -> None:
    ended = await drain()
    logger.info("stopping: %d stream(s) told to reconnect elsewhere", ended)
    previous = _previous_handler
    if callable(previous):
        previous(signum, frame)
    else:  # the default action: terminate
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
