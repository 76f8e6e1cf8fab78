"""Inline placeholders: formatting boundaries carried through the engine as `<1>text</1>`
(a span with its own formatting; spans nest) and `<2/>` (something kept as is: an image, a
tab, a code span). A handler builds a segment from pieces, the engine translates it, and
`restore` maps the translation back onto a tree of spans, atoms and text.

Engines drop, repeat, cross and invent placeholders. Each such fault costs only the
placeholder concerned: a repeated or unknown one is ignored (its text stays), a crossed span
is closed where the crossing starts, a lost atom is put back next to the placeholder that
preceded it in the source, a lost span without letters (a space, a symbol) is put back with its
source text, and a lost span with letters leaves its words unformatted. The other spans of the
segment keep their formatting. `Restored.lost` counts the faults.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Literal:
    """Source text that looks like a placeholder (`<3>` in a maths text): kept verbatim."""

    text: str


@dataclass(slots=True)
class Inline:
    """One segment and what its placeholders stand for."""

    segment: str = ""
    atoms: dict[int, Any] = field(default_factory=dict)
    spans: dict[int, Any] = field(default_factory=dict)
    # Only for segments with placeholders (most have none: a 5 MB page has ~50,000 segments):
    order: list[int] | None = None  # placeholder ids in source order
    parent: dict[int, int | None] | None = None  # enclosing span of each id
    span_text: dict[int, str] | None = None  # a span's source text, placeholders gone

    @property
    def plain(self) -> bool:
        return not self.atoms and not self.spans


def has_letters(text: str) -> bool:
    """Words an engine translates (not only blanks, punctuation or symbols)."""
    return any(ch.isalpha() for ch in text)


class InlineBuilder:
    """Pieces in, one segment out: `text`, `atom(payload)`, `span(payload, text)`, and
    `open(payload)` … `close()` around other pieces (spans nest)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inline = Inline()
        self.next_id = 1
        self._open: list[int] = []
        self._text_of: dict[int, list[str]] = {}

    def _id(self) -> int:
        ident = self.next_id
        self.next_id += 1
        if self.inline.order is None:
            self.inline.order, self.inline.parent, self.inline.span_text = [], {}, {}
        self.inline.order.append(ident)
        self.inline.parent[ident] = self._open[-1] if self._open else None
        return ident

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
        self.parts.append(self._escape(text) if "<" in text else text)
        for ident in self._open:
            self._text_of[ident].append(text)

    def atom(self, payload: Any) -> None:
        ident = self._id()
        self.inline.atoms[ident] = payload
        self.parts.append(f"<{ident}/>")

    def span(self, payload: Any, text: str) -> None:
        self.open(payload)
        self.text(text)
        self.close()

    def open(self, payload: Any) -> None:
        ident = self._id()
        self.inline.spans[ident] = payload
        self.parts.append(f"<{ident}>")
        self._open.append(ident)
        self._text_of[ident] = []

    def close(self) -> None:
        ident = self._open.pop()
        self.inline.span_text[ident] = "".join(self._text_of.pop(ident))
        self.parts.append(f"</{ident}>")

    def build(self) -> Inline:
        while self._open:
            self.close()
        self.inline.segment = "".join(self.parts)
        return self.inline


@dataclass
class Span:
    payload: Any
    children: list[Any] = field(default_factory=list)


@dataclass
class Atom:
    payload: Any


@dataclass
class Restored:
    """The translation as a tree: `nodes` holds str, Atom and Span (whose children are the
    same). `lost` counts the placeholders the engine lost or garbled."""

    nodes: list[Any]
    lost: int

    @property
    def intact(self) -> bool:
        return self.lost == 0

    def text(self) -> str:
        """All the text with placeholders gone (literal placeholder-like source text kept)."""
        return render_text(self, atom=lambda _p: "", span=lambda _p, inner: inner)

    def pieces(self, absorbs: Callable[[Any], bool] = lambda _p: False) -> list[tuple[Any, Any]]:
        """The tree flattened: (innermost span payload or None, text) for text, ("atom"
        marker, payload) for atoms. A span whose payload `absorbs` takes all text inside it as
        its own (an OOXML hyperlink holds runs, it is not one)."""
        out: list[tuple[Any, Any]] = []

        def walk(nodes: list[Any], current: Any, absorbed: bool) -> None:
            for node in nodes:
                if isinstance(node, str):
                    if node:
                        out.append((current, node))
                elif isinstance(node, Atom):
                    out.append((_ATOM, node.payload))
                elif absorbed:
                    walk(node.children, current, True)
                else:
                    walk(node.children, node.payload, absorbs(node.payload))

        walk(self.nodes, None, False)
        return out


_ATOM = object()  # the key of atom pieces (span payloads are the handler's own objects)


def is_atom(piece: tuple[Any, Any]) -> bool:
    return piece[0] is _ATOM


def restore(translation: str, inline: Inline) -> Restored:
    if inline.order is None and "<" not in translation:
        return Restored([translation] if translation else [], 0)  # the common case: plain text
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = []  # open spans: (id, children)
    where: dict[int, tuple[list[Any], Any]] = {}  # id → (the list holding its node, the node)
    lost = 0
    last = 0

    def current() -> list[Any]:
        return stack[-1][1] if stack else root

    def add_text(text: str) -> None:
        nodes = current()
        if nodes and isinstance(nodes[-1], str):
            nodes[-1] += text  # text around an ignored placeholder stays one piece
        elif text:
            nodes.append(text)

    for match in PLACEHOLDER.finditer(translation):
        add_text(translation[last:match.start()])
        last = match.end()
        closing, ident, self_closing = match.group(1), int(match.group(2)), match.group(3)
        if self_closing and not closing and ident in inline.atoms and ident not in where:
            node: Any = Atom(inline.atoms[ident])
            current().append(node)
            where[ident] = (current(), node)
        elif not closing and not self_closing and ident in inline.spans and ident not in where:
            node = Span(inline.spans[ident])
            current().append(node)
            where[ident] = (current(), node)
            stack.append((ident, node.children))
        elif closing and not self_closing and any(i == ident for i, _ in stack):
            while stack[-1][0] != ident:  # spans crossing this one end here
                stack.pop()
                lost += 1
            stack.pop()
        else:
            lost += 1  # unknown, repeated or misplaced: ignored, its text kept
    add_text(translation[last:])
    lost += len(stack)  # never closed: they end with the segment
    for ident in inline.order or ():
        if ident in where:
            continue
        span_text = inline.span_text or {}
        if ident in inline.spans and has_letters(span_text.get(ident, "")):
            lost += 1  # its words are in the translation, unformatted
            continue
        lost += 1
        node = (Atom(inline.atoms[ident]) if ident in inline.atoms
                else Span(inline.spans[ident], [span_text.get(ident, "")]))
        _reinsert(ident, node, inline, root, where)
    return Restored(root, lost)


def _reinsert(ident: int, node: Any, inline: Inline, root: list[Any], where: dict[int, tuple[list[Any], Any]]) -> None:
    """Put a lost piece back right after the placeholder that preceded it in the source (at the
    start of its enclosing span when it came first there), else where it stood: start or end."""
    order = inline.order or []
    position = order.index(ident)
    for previous in reversed(order[:position]):
        if previous not in where:
            continue
        holder, anchor = where[previous]
        if previous == (inline.parent or {}).get(ident) and isinstance(anchor, Span):
            anchor.children.insert(0, node)
            where[ident] = (anchor.children, node)
        else:
            holder.insert(_index(holder, anchor) + 1, node)
            where[ident] = (holder, node)
        return
    before = re.split(f"<{ident}[/>]", inline.segment, maxsplit=1)[0]
    if PLACEHOLDER.sub("", before).strip():
        root.append(node)  # text came before it: it stood after the words
    else:
        root.insert(0, node)
    where[ident] = (root, node)


def _index(holder: list[Any], node: Any) -> int:
    return next(i for i, item in enumerate(holder) if item is node)


def render_text(restored: Restored, *, atom: Callable[[Any], str], span: Callable[[Any, str], str],
                text: Callable[[str], str] = lambda s: s) -> str:
    """The restored tree as a string for text formats: `atom(payload) -> str`,
    `span(payload, inner) -> str`, `text(str) -> str` (escaping)."""

    def walk(nodes: list[Any]) -> str:
        out = []
        for node in nodes:
            if isinstance(node, str):
                out.append(text(node))
            elif isinstance(node, Atom):
                out.append(node.payload.text if isinstance(node.payload, Literal) else atom(node.payload))
            else:
                out.append(span(node.payload, walk(node.children)))
        return "".join(out)

    return walk(restored.nodes)
