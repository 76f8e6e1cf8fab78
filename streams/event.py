"""A stream event: what the bus carries between processes and the registry hands to connections.

Two shapes, told apart by `key`:
- a *state* event (`key` set) is the newest state of something (`key`, e.g. one record) at
  `version`; a newer version replaces an older one still waiting for a slow client, and a
  version a client already has is never sent again. Its SSE id is the version.
- a *log* event (`key` None) is one entry of a sequence (`id`), never coalesced. Its SSE id is `id`.

`topics` says who receives it: every connection subscribed to one of them.
"""
from __future__ import annotations

import json
from typing import Any

MAX_WIRE_BYTES = 7900  # what one event may take on the bus (PostgreSQL NOTIFY stays under 8,000)


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


class Event:
    __slots__ = ("name", "data", "topics", "key", "version", "id", "_frame")

    def __init__(self, *, name: str, data: dict[str, Any], topics: tuple[str, ...] | list[str],
                 key: str | None = None, version: int = 0, id: int | None = None) -> None:
        self.name, self.data, self.topics = name, data, tuple(topics)
        self.key, self.version, self.id = key, version, id
        self._frame: bytes | None = None

    @property
    def is_state(self) -> bool:
        return self.key is not None

    @property
    def sse_id(self) -> int | None:
        return self.version if self.key is not None else self.id

    def frame(self) -> bytes:
        """The SSE bytes, encoded once however many connections receive the event."""
        if self._frame is None:
            self._frame = frame(event=self.name, id=self.sse_id,
                                data=json.dumps(self.data, ensure_ascii=False, separators=(",", ":")))
        return self._frame

    # --- on the bus ------------------------------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        return {"name": self.name, "data": self.data, "topics": list(self.topics), "key": self.key,
                "version": self.version, "id": self.id}

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> Event:
        return cls(name=raw["name"], data=raw["data"], topics=raw["topics"], key=raw.get("key"),
                   version=int(raw.get("version") or 0), id=raw.get("id"))

    def compact_json(self, limit: int = MAX_WIRE_BYTES) -> str:
        """JSON under `limit` bytes: the longest free-text fields of `data` are cut first."""
        wire = self.to_wire()
        text = json.dumps(wire, ensure_ascii=False, separators=(",", ":"))
        data = dict(self.data)
        for field in sorted((k for k, v in data.items() if isinstance(v, str)), key=lambda k: -len(data[k])):
            if len(text.encode("utf-8")) <= limit:
                break
            data[field] = data[field][:200] + "…"
            text = json.dumps({**wire, "data": data}, ensure_ascii=False, separators=(",", ":"))
        return text

    def __repr__(self) -> str:
        return f"Event({self.name!r}, key={self.key!r}, version={self.version}, id={self.id}, topics={self.topics})"
