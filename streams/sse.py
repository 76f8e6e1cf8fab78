"""Server-Sent Events: the ASGI application that serves every registered stream.

Streams do not go through Django's request handler: it keeps a thread per request for the
request's whole life (asgiref's per-request executor), which for a stream that stays open for
an hour means a thread per client. Here a stream is a plain ASGI coroutine on the event loop;
its few database reads (who is asking, the snapshot) run on a small shared thread pool, and
while it waits it holds neither a thread nor a database connection.
"""
from __future__ import annotations

import asyncio
import io
import json
import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest

from streams import auth, bus, routes, sweep
from streams.db import with_fresh_connection
from streams.event import _clean
from streams.registry import registry
from streams.routes import Opened, Opener, Refusal

logger = logging.getLogger("zhiyi.streams")


def comment(text: str = "") -> bytes:
    return f": {_clean(text)}\n\n".encode()


def retry(milliseconds: int) -> bytes:
    return f"retry: {int(milliseconds)}\n\n".encode()


# --- database reads off the event loop ----------------------------------------------------------

_db_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zhiyi-sse")


async def on_db_pool(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_db_pool, lambda: with_fresh_connection(fn, *args, **kwargs))


def _open(request: ASGIRequest, opener: Opener, kwargs: dict) -> Opened | Refusal | None:
    """On the pool: authenticate, let the app's opener read its snapshot, apply the limits."""
    user = auth.authenticate(request)
    if user is None:
        return auth.unauthorised()
    result = opener(request, user, **kwargs)
    if isinstance(result, Opened) and not result.finished:
        return auth.refuse_if_over_limits(user.pk) or result
    return result


# --- the ASGI application -----------------------------------------------------------------------

async def _respond(send, status: int, body: bytes = b"", headers=()) -> None:  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *headers]})
    await send({"type": "http.response.body", "body": body})


async def serve(scope: dict, receive, send, opener: Opener, kwargs: dict) -> None:  # type: ignore[no-untyped-def]
    if scope["method"] != "GET":
        await _respond(send, 405, b'{"detail": "Use GET.", "code": "method_not_allowed"}')
        return
    try:
        # The request (with the user the authentication attached) is only needed to open: it is
        # not kept for the stream's life, nor is the snapshot once sent (memory per open stream).
        result = await on_db_pool(_open, ASGIRequest(scope, io.BytesIO(b"")), opener, kwargs)
    except Exception:  # noqa: BLE001
        logger.exception("could not open a stream")
        await _respond(send, 503, b'{"detail": "The stream could not be opened; retry.", "code": "unavailable"}',
                       [(b"retry-after", b"5")])
        return
    if result is None:  # the client already holds the final state: 204 tells EventSource to stop
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if isinstance(result, Refusal):
        body = json.dumps({"detail": result.detail, "code": result.code}).encode()
        await _respond(send, result.status, body, result.headers)
        return
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
        (b"x-accel-buffering", b"no")]})
    if result.finished:
        await send({"type": "http.response.body", "body": b"".join(result.first)})
        return
    await _stream(receive, send, result)


async def _stream(receive, send, opened: Opened) -> None:  # type: ignore[no-untyped-def]
    """Hold one stream open in this task until the client goes, the stream is final, its lifetime
    ends or the process drains. Nothing here can outlive the stream: the only other task is the
    disconnect watcher, cancelled on the way out, and no timeout wraps a send (a cancellation
    that arrives just after an inner send completed would be lost in asyncio.wait_for); a write
    that hangs is cancelled by the sweep (streams.sweep)."""
    connection = opened.connection
    connection.task = asyncio.current_task()
    connection.deadline = time.monotonic() + settings.ZHIYI_SSE_MAX_LIFETIME_S
    registry.register(connection)
    registry.loops += 1
    bus.ensure_listener()
    sweep.ensure_running()
    watcher = asyncio.ensure_future(_until_disconnect(receive))
    watcher.add_done_callback(lambda _: connection.close())
    first, opened.first = b"".join(opened.first), []
    try:
        await _write(send, connection, retry(settings.ZHIYI_SSE_RETRY_MS) + first)
        del first
        while True:
            await connection.wakeup.wait()
            if connection.closed:
                return
            events = connection.take()
            if events:
                await _write(send, connection, b"".join(e.frame() for e in events))
                if opened.is_final and any(opened.is_final(e) for e in events):
                    await _write(send, connection, b"", more=False)
                    return
            if connection.ending:
                # Lifetime over or the process is stopping: the client reconnects (and gets a
                # fresh snapshot), the reconnects spread over a few seconds.
                await _write(send, connection, retry(settings.ZHIYI_SSE_RETRY_MS + random.randint(0, 5000)),
                             more=False)
                return
            if not events and time.monotonic() - connection.last_write >= settings.ZHIYI_SSE_HEARTBEAT_S:
                await _write(send, connection, comment("keep-alive"))
    finally:
        registry.loops -= 1
        watcher.cancel()
        registry.unregister(connection)  # at once, whichever way the stream ended


async def _write(send, connection, chunk: bytes, *, more: bool = True) -> None:  # type: ignore[no-untyped-def]
    connection.writing_since = time.monotonic()
    await send({"type": "http.response.body", "body": chunk, "more_body": more})
    connection.writing_since = None
    connection.last_write = time.monotonic()


async def _until_disconnect(receive) -> None:  # type: ignore[no-untyped-def]
    while (await receive())["type"] != "http.disconnect":
        pass


def wrap(django_app):  # type: ignore[no-untyped-def]
    """The HTTP application: registered stream paths served here, everything else by Django."""
    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["path"].startswith("/sse/"):
            found = routes.match(scope["path"])
            if found is not None:
                return await serve(scope, receive, send, *found)
        return await django_app(scope, receive, send)

    return app
