"""Server-Sent Events: framing, and the ASGI application that serves every stream.

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
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import InterfaceError, OperationalError, connection as db_connection

from zhiyi.streams import bus
from zhiyi.streams.registry import Connection, registry

logger = logging.getLogger("zhiyi.streams")


# --- framing -------------------------------------------------------------------------------------

def _clean(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def frame(*, data: str, event: str | None = None, id: str | int | None = None) -> bytes:
    """One SSE event. CR/LF are stripped from `id` and `event`; multi-line data becomes one
    `data:` line per line, which the client joins back with newlines."""
    lines = []
    if id is not None:
        lines.append(f"id: {_clean(str(id))}")
    if event:
        lines.append(f"event: {_clean(event)}")
    for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.append(f"data: {line}")
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def comment(text: str = "") -> bytes:
    return f": {_clean(text)}\n\n".encode("utf-8")


def retry(milliseconds: int) -> bytes:
    return f"retry: {int(milliseconds)}\n\n".encode("utf-8")


def encode_event(event: dict) -> bytes:
    """A bus event as the client sees it: internal fields dropped, `id:` set."""
    payload = {k: v for k, v in event.items() if k not in ("type", "userId")}
    if event["type"] == "status":
        return frame(event="status", id=event["version"], data=json.dumps(payload, ensure_ascii=False))
    return frame(event=event["type"], id=event.get("id"), data=json.dumps(payload, ensure_ascii=False))


# --- what an opener returns ----------------------------------------------------------------------

@dataclass
class Refusal:
    status: int
    detail: str = ""
    code: str = ""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


@dataclass
class Opened:
    connection: Connection
    first: list[bytes]  # the snapshot, sent before anything else
    is_final: Callable[[dict], bool] | None = None  # the stream ends after such an event
    finished: bool = False  # nothing more can happen: send `first` and end


def unauthorised() -> Refusal:
    return Refusal(401, "Authentication credentials were not provided.", "not_authenticated")


def refuse_if_over_limits(user_id: int) -> Refusal | None:
    if registry.open >= settings.ZHIYI_SSE_MAX_PER_PROCESS:
        return Refusal(503, "This server holds too many streams; retry shortly.", "too_many_streams",
                       [(b"retry-after", str(random.randint(2, 10)).encode())])
    if registry.count_for_user(user_id) >= settings.ZHIYI_SSE_MAX_PER_USER:
        return Refusal(429, "Too many open streams for this account; close some tabs.", "too_many_streams")
    return None


def stream_user(request: ASGIRequest):  # type: ignore[no-untyped-def]
    """The session user, or the owner of `Authorization: Token <key>` (runs on the DB pool)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=header[6:].strip()).first()
        return token.user if token and token.user.is_active else None
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    from django.contrib.auth import get_user

    request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    user = get_user(request)
    return user if user.is_authenticated else None


def user_within_limits(request: ASGIRequest):  # type: ignore[no-untyped-def]
    """The user asking, or the Refusal to send (401 anonymous, 429/503 over the limits)."""
    user = stream_user(request)
    if user is None:
        return unauthorised()
    return refuse_if_over_limits(user.pk) or user


def last_event_id(request: ASGIRequest) -> tuple[int | None, bool]:
    """(the client's cursor, whether one was sent but could not be read)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("lastEventId") or ""
    if not raw:
        return None, False
    try:
        value = int(raw.strip())
    except ValueError:
        return None, True
    return (value, False) if value >= 0 else (None, True)


# --- database reads off the event loop ----------------------------------------------------------

_db_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zhiyi-sse")


def _with_fresh_connection(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(*args, **kwargs)
    except (OperationalError, InterfaceError):
        db_connection.close()  # the database restarted: one retry on a new connection
        return fn(*args, **kwargs)


async def on_db_pool(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_db_pool, lambda: _with_fresh_connection(fn, *args, **kwargs))


# --- the ASGI application -----------------------------------------------------------------------

Opener = Callable[..., "Opened | Refusal | None"]
ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^/sse/tasks/(?P<task_id>\d+)/$"), "tasks.streams.open_task_stream"),
    (re.compile(r"^/sse/tasks/$"), "tasks.streams.open_tasks_stream"),
    (re.compile(r"^/sse/notifications/$"), "notifications.streams.open_notifications_stream"),
]


def route(path: str) -> tuple[Opener, dict] | None:
    for pattern, dotted in ROUTES:
        match = pattern.match(path)
        if match:
            module, name = dotted.rsplit(".", 1)
            kwargs = {k: int(v) for k, v in match.groupdict().items()}
            return getattr(import_module(module), name), kwargs
    return None


async def _respond(send, status: int, body: bytes = b"", headers=()) -> None:  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *headers]})
    await send({"type": "http.response.body", "body": body})


async def serve(scope: dict, receive, send, opener: Opener, kwargs: dict) -> None:  # type: ignore[no-untyped-def]
    if scope["method"] != "GET":
        await _respond(send, 405, b'{"detail": "Use GET.", "code": "method_not_allowed"}')
        return
    request = ASGIRequest(scope, io.BytesIO(b""))
    try:
        result = await on_db_pool(opener, request, **kwargs)
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
    registry.register(result.connection)
    bus.ensure_listener()
    pump = asyncio.ensure_future(_pump(send, result))
    gone = asyncio.ensure_future(_until_disconnect(receive))
    try:
        await asyncio.wait({pump, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pump, gone):
            task.cancel()
        registry.unregister(result.connection)  # at once, whichever way the stream ended


async def _until_disconnect(receive) -> None:  # type: ignore[no-untyped-def]
    while (await receive())["type"] != "http.disconnect":
        pass


async def _pump(send, opened: Opened) -> None:  # type: ignore[no-untyped-def]
    connection = opened.connection
    timeout = settings.ZHIYI_SSE_SEND_TIMEOUT_S

    async def write(chunk: bytes, more: bool = True) -> None:
        # A client that stopped reading is dropped instead of holding its buffers forever.
        await asyncio.wait_for(send({"type": "http.response.body", "body": chunk, "more_body": more}), timeout)

    deadline = time.monotonic() + settings.ZHIYI_SSE_MAX_LIFETIME_S
    await write(retry(settings.ZHIYI_SSE_RETRY_MS) + b"".join(opened.first))
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            # Lifetime over: the client reconnects (and gets a fresh snapshot), spread over a few seconds.
            await write(retry(settings.ZHIYI_SSE_RETRY_MS + random.randint(0, 5000)), more=False)
            return
        try:
            await asyncio.wait_for(connection.wakeup.wait(), timeout=min(settings.ZHIYI_SSE_HEARTBEAT_S, remaining))
        except asyncio.TimeoutError:
            await write(comment("keep-alive"))
            continue
        events = connection.take()
        if events:
            await write(b"".join(encode_event(e) for e in events))
        if opened.is_final and any(opened.is_final(e) for e in events):
            await write(b"", more=False)
            return


def wrap(django_app):  # type: ignore[no-untyped-def]
    """The HTTP application: SSE paths served here, everything else by Django."""
    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["path"].startswith("/sse/"):
            found = route(scope["path"])
            if found is not None:
                return await serve(scope, receive, send, *found)
        return await django_app(scope, receive, send)

    return app
