"""The bare baseline for bench/sse_fanout.py: a 40-line async SSE view with one LISTEN connection.
No auth, no snapshot read, no limits, no heartbeats: what any stream server must at least do."""
import asyncio
import json
import os

import psycopg

subscribers: dict[str, set[asyncio.Queue]] = {}
listener: asyncio.Task | None = None


async def listen() -> None:
    async with await psycopg.AsyncConnection.connect(os.environ["BARE_SSE_DSN"], autocommit=True) as conn:
        await conn.execute("LISTEN zhiyi_events")
        async for notify in conn.notifies():
            event = json.loads(notify.payload)
            chunk = f"id: {event['version']}\nevent: {event['name']}\ndata: {json.dumps(event['data'])}\n\n".encode()
            for queue in subscribers.get(event["topics"][0], ()):
                queue.put_nowait(chunk)


async def disconnected(receive) -> None:  # type: ignore[no-untyped-def]
    while (await receive())["type"] != "http.disconnect":
        pass


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    global listener
    if scope["type"] != "http":
        return
    if listener is None:
        listener = asyncio.get_running_loop().create_task(listen())
    if not scope["path"].startswith("/sse/tasks/"):  # the bench's health check
        await send({"type": "http.response.start", "status": 200, "headers": []})
        return await send({"type": "http.response.body", "body": b"ok"})
    topic, queue = "task:" + scope["path"].strip("/").rsplit("/", 1)[1], asyncio.Queue()
    subscribers.setdefault(topic, set()).add(queue)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
    await send({"type": "http.response.body", "body": b"data: {}\n\n", "more_body": True})
    gone = asyncio.ensure_future(disconnected(receive))
    try:
        while True:
            chunk = asyncio.ensure_future(queue.get())
            await asyncio.wait([chunk, gone], return_when=asyncio.FIRST_COMPLETED)
            if gone.done():
                chunk.cancel()
                return
            await send({"type": "http.response.body", "body": chunk.result(), "more_body": True})
    finally:
        subscribers[topic].discard(queue)
