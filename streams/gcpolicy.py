"""Garbage collection for a process that holds thousands of long-lived streams.

A full (generation 2) collection walks every tracked object, and pauses the event loop while it
does: at 5,000 open streams that was ~700k objects and 0.6–0.7 s, about every 6 s, which is
where the latency tail came from. What lives long here (Django's own objects after start-up,
then each stream's connection, task and buffers) need not be walked again and again, so the
policy moves it out of the collector's sight with `gc.freeze()`: once when the first stream
starts, and then every ZHIYI_GC_FREEZE_S from the stream sweep. Objects frozen are still freed
by reference counting when they are dropped; only reference cycles among them wait, until the
next `gc.unfreeze(); gc.collect()` every ZHIYI_GC_COLLECT_S (one pause per interval instead of
one every few seconds). ZHIYI_GC_FREEZE_S = 0 leaves the collector as Python has it.

Each collection's pause is timed (gc.callbacks) and exported by /metrics, per generation.
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Pauses:
    """Collections of this process per generation: how many, total and longest pause (s)."""

    count: list[int] = field(default_factory=lambda: [0, 0, 0])
    total_s: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    max_s: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    freezes: int = 0
    full_collections: int = 0  # the periodic unfreeze + collect


pauses = Pauses()
_started: float | None = None
_last_freeze = 0.0
_last_collect = 0.0
_installed = False


def _timer(phase: str, info: dict) -> None:
    global _started
    if phase == "start":
        _started = time.perf_counter()
    elif _started is not None:
        took, generation = time.perf_counter() - _started, info["generation"]
        pauses.count[generation] += 1
        pauses.total_s[generation] += took
        pauses.max_s[generation] = max(pauses.max_s[generation], took)
        _started = None


def install() -> None:
    """Time every collection and freeze what start-up left (once per process)."""
    global _installed, _last_freeze, _last_collect
    if _installed:
        return
    _installed = True
    gc.callbacks.append(_timer)
    _last_freeze = _last_collect = time.monotonic()
    if settings.ZHIYI_GC_FREEZE_S > 0:
        gc.freeze()
        pauses.freezes += 1


def tick(now: float | None = None) -> None:
    """From the stream sweep: freeze what survived since the last time; now and then reclaim
    the cycles that were frozen."""
    global _last_freeze, _last_collect
    every = settings.ZHIYI_GC_FREEZE_S
    if every <= 0:
        return
    now = time.monotonic() if now is None else now
    if settings.ZHIYI_GC_COLLECT_S > 0 and now - _last_collect >= settings.ZHIYI_GC_COLLECT_S:
        gc.unfreeze()
        gc.collect()
        pauses.full_collections += 1
        _last_collect = now
        _last_freeze = 0.0  # freeze what is left at once
    if now - _last_freeze >= every:
        gc.freeze()
        pauses.freezes += 1
        _last_freeze = now
