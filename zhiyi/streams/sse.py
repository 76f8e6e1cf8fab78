"""Server-Sent Events: framing, and the async streaming response every stream view returns."""
from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Callable

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse

from zhiyi.streams import bus
from zhiyi.streams.registry import Connection, registry

shutting_down = False  # set on process shutdown: streams end with a jittered retry


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


async def release_database() -> None:
    """Close the request's database connection once the snapshot is read: a waiting stream holds
    none (thousands of idle streams must not pin thousands of connections)."""
    from asgiref.sync import sync_to_async
    from django.db import connection

    # Resolve the connection in the worker thread that holds it (connections are per thread).
    await sync_to_async(lambda: connection.close())()


def refuse_if_over_limits(user_id: int) -> JsonResponse | None:
    if registry.open >= settings.ZHIYI_SSE_MAX_PER_PROCESS:
        response = JsonResponse({"detail": "This server holds too many streams; retry shortly.",
                                 "code": "too_many_streams"}, status=503)
        response["Retry-After"] = str(random.randint(2, 10))
        return response
    if registry.count_for_user(user_id) >= settings.ZHIYI_SSE_MAX_PER_USER:
        return JsonResponse({"detail": "Too many open streams for this account; close some tabs.",
                             "code": "too_many_streams"}, status=429)
    return None


def stream(connection: Connection, first: list[bytes],
           is_final: Callable[[dict], bool] | None = None) -> StreamingHttpResponse:
    """Register the connection, send `first` (the snapshot), then events until the client goes,
    the lifetime ends, or an event `is_final`. Holds no database connection while it waits."""
    registry.register(connection)
    bus.ensure_listener()
    response = StreamingHttpResponse(_events(connection, first, is_final), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _events(connection: Connection, first: list[bytes],
                  is_final: Callable[[dict], bool] | None) -> AsyncIterator[bytes]:
    heartbeat = settings.ZHIYI_SSE_HEARTBEAT_S
    deadline = time.monotonic() + settings.ZHIYI_SSE_MAX_LIFETIME_S
    try:
        yield retry(settings.ZHIYI_SSE_RETRY_MS)
        for chunk in first:
            yield chunk
        while not shutting_down:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(connection.wakeup.wait(), timeout=min(heartbeat, remaining))
            except asyncio.TimeoutError:
                yield comment("keep-alive")
                continue
            final = False
            for event in connection.take():
                yield encode_event(event)
                final = final or bool(is_final and is_final(event))
            if final:
                return
        # Lifetime over or shutting down: spread the reconnects over a few seconds.
        yield retry(settings.ZHIYI_SSE_RETRY_MS + random.randint(0, 5000))
    finally:
        registry.unregister(connection)
