"""In-process only: for tests that run the worker in the web process (django-q2 `sync`)."""
from __future__ import annotations

from streams.bus.base import Backend
from streams.event import Event
from streams.registry import registry


class MemoryBackend(Backend):
    listens = False

    def publish(self, event: Event) -> None:
        registry.dispatch_threadsafe(event)  # counted as dispatched by the registry
