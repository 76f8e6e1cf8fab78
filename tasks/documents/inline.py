"""Inline placeholders: formatting boundaries carried through the engine as `<1>text</1>`
(a span with its own formatting) and `<2/>` (something kept as is: an image, a tab, a code
span). A handler builds a segment from pieces, the engine translates it, and `restore` maps
the translation back, tolerating engines that drop, repeat or garble placeholders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Literal:
    """Source text that looks like a placeholder (`<3>` in a maths text): kept verbatim."""

    text: str


@dataclass
class Inline:
    """One segment and what its placeholders stand for."""

    segment: str = ""
    atoms: dict[int, Any] = field(default_factory=dict)
    spans: dict[int, Any] = field(default_factory=dict)

    @property
    def plain(self) -> bool:
        return not self.atoms and not self.spans


class InlineBuilder:
    """Pieces in, one segment out: `text`, `atom(payload)`, and `span(payload, text)`."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inline = Inline()
        self.next_id = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _escape(self, text: str) -> str:
        # Literal placeholder-like text in the source becomes an atom so it survives intact.
        out, last = [], 0
        for match in PLACEHOLDER.finditer(text):
            out.append(text[last:match.start()])
            ident = self._id()
            self.inline.atoms[ident] = Literal(match.group(0))
            out.append(f"<{ident}/>")
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def text(self, text: str) -> None:
        self.parts.append(self._escape(text))

    def atom(self, payload: Any) -> None:
        ident = self._id()
        self.inline.atoms[ident] = payload
        self.parts.append(f"<{ident}/>")

    def span(self, payload: Any, text: str) -> None:
        self.open(payload)
        self.text(text)
        self.close()

    def open(self, payload: Any) -> None:
        """Start a span; atoms may follow inside it, spans may not nest."""
        ident = self._id()
        self.inline.spans[ident] = payload
        self.parts.append(f"<{ident}>")
        self._open = ident

    def close(self) -> None:
        self.parts.append(f"</{self._open}>")

    def build(self) -> Inline:
        self.inline.segment = "".join(self.parts)
        return self.inline


@dataclass
class Restored:
    """The translation as pieces: (None, text) for base text, (span payload, text) for a span's
    text, and atoms as ("atom", payload). `intact` is False when placeholders were lost or
    garbled (then missing atoms are appended at the end, so nothing is dropped)."""

    pieces: list[tuple[Any, Any]]
    intact: bool

    def text(self) -> str:
        """All the text with placeholders gone (literal placeholder-like source text kept)."""
        return "".join(v.text if k is _ATOM and isinstance(v, Literal) else ("" if k is _ATOM else v)
                       for k, v in self.pieces)


_ATOM = object()  # the key of atom pieces (span payloads are the handler's own objects)


def restore(translation: str, inline: Inline) -> Restored:
    pieces: list[tuple[Any, Any]] = []
    intact = True
    used: set[int] = set()
    open_id: int | None = None
    last = 0

    def add_text(text: str) -> None:
        if text:
            pieces.append((inline.spans[open_id] if open_id is not None else None, text))

    for match in PLACEHOLDER.finditer(translation):
        add_text(translation[last:match.start()])
        last = match.end()
        closing, ident, self_closing = match.group(1), int(match.group(2)), match.group(3)
        if self_closing and not closing and ident in inline.atoms and ident not in used:
            used.add(ident)
            pieces.append((_ATOM, inline.atoms[ident]))
        elif not closing and not self_closing and ident in inline.spans and ident not in used and open_id is None:
            used.add(ident)
            open_id = ident
        elif closing and not self_closing and ident == open_id:
            open_id = None
        else:
            intact = False  # unknown, repeated or misplaced: dropped
    if open_id is not None:
        intact = False
        open_id = None
    add_text(translation[last:])
    missing = [i for i in inline.atoms if i not in used]
    if missing:
        intact = False
        pieces.extend((_ATOM, inline.atoms[i]) for i in missing)
    if any(i not in used for i in inline.spans):
        intact = False
    return Restored(pieces, intact)


def is_atom(piece: tuple[Any, Any]) -> bool:
    return piece[0] is _ATOM


def render_text(restored: Restored, *, atom: Any, span: Any, text: Any = lambda s: s) -> str:
    """Join restored pieces back into a string for text formats: `atom(payload) -> str`,
    `span(payload, inner) -> str`, `text(str) -> str` (escaping). Atoms between two pieces
    of the same span stay inside it."""
    out: list[str] = []
    current: Any = None
    inner: list[str] = []

    def flush() -> None:
        nonlocal inner
        if current is not None:
            out.append(span(current, "".join(inner)))
        inner = []

    for key, value in restored.pieces:
        target = inner if current is not None else out
        if key is _ATOM:
            target.append(value.text if isinstance(value, Literal) else atom(value))
        elif key is current:
            target.append(text(value))
        else:
            flush()
            current = key
            (inner if current is not None else out).append(text(value))
    flush()
    return "".join(out)
