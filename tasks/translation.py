"""The segment pipeline between a document and an engine: identical segments are translated
once, batches are whole segments up to the engine's character budget, and progress is reported
after each batch."""
from __future__ import annotations

from collections.abc import Callable

from tasks.engines.base import Engine, EngineError

ProgressCallback = Callable[[int, int], None]  # (segments done, total)


def batches(segments: list[str], max_chars: int) -> list[list[str]]:
    """Split into consecutive batches of whole segments, each at most `max_chars` long
    (a single longer segment forms a batch of its own)."""
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for segment in segments:
        if current and size + len(segment) > max_chars:
            out.append(current)
            current, size = [], 0
        current.append(segment)
        size += len(segment)
    if current:
        out.append(current)
    return out


def translate_segments(engine: Engine, segments: list[str], source: str, target: str,
                       on_progress: ProgressCallback | None = None) -> list[str]:
    unique = list(dict.fromkeys(s for s in segments if s.strip()))
    translated: dict[str, str] = {}
    done = 0
    for batch in batches(unique, engine.batch_chars):
        result = engine.translate(batch, source, target)
        if len(result) != len(batch):
            raise EngineError(f"The {engine.name} engine returned {len(result)} translations for {len(batch)} segments.")
        translated.update(zip(batch, result))
        done += len(batch)
        if on_progress:
            on_progress(done, len(unique))
    return [translated.get(s, s) for s in segments]
