"""Cross-process delivery of stream events (placeholder: in-process listeners only)."""
from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[dict], None]] = []


def subscribe(listener: Callable[[dict], None]) -> None:
    _listeners.append(listener)


def publish(event: dict) -> None:
    for listener in list(_listeners):
        listener(event)
