"""A plain SSE reader over httpx, as a browser's EventSource would parse the stream."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx


@dataclass
class Event:
    event: str = "message"
    data: str = ""
    id: str | None = None

    @property
    def json(self) -> dict:
        return json.loads(self.data)


@dataclass
class Stream:
    events: list[Event] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    ended: bool = False


def parse(lines, stream: Stream, stop=None) -> Stream:  # type: ignore[no-untyped-def]
    current = Event()
    data: list[str] = []
    for line in lines:
        if line == "":
            if data or current.id is not None or current.event != "message":
                current.data = "\n".join(data)
                stream.events.append(current)
                if stop and stop(current, stream):
                    return stream
            current, data = Event(), []
            continue
        if line.startswith(":"):
            stream.comments.append(line[1:].strip())
            if stop and stop(None, stream):
                return stream
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name == "event":
            current.event = value
        elif name == "id":
            current.id = value
        elif name == "retry":
            stream.retry.append(int(value))
    stream.ended = True
    return stream


def read(url: str, *, token: str, headers: dict | None = None, stop=None, timeout: float = 30) -> tuple[int, Stream]:  # type: ignore[no-untyped-def]
    """GET an SSE URL; read until `stop(event, stream)` is true or the server ends the stream."""
    with httpx.Client(timeout=httpx.Timeout(timeout, connect=5)) as client:
        with client.stream("GET", url, headers={"Authorization": f"Token {token}", **(headers or {})}) as response:
            if response.status_code != 200:
                response.read()
                return response.status_code, Stream()
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-cache"
            assert response.headers["x-accel-buffering"] == "no"
            return 200, parse(response.iter_lines(), Stream(), stop)
