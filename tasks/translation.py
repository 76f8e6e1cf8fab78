"""The segment pipeline between a document and an engine.

For each document: edge whitespace is kept aside; identical segments are translated once;
segments found in the user's translation memory are reused (not sent, not billed); glossary
terms are swapped for protected tokens and their target terms put back afterwards; inline
formatting placeholders (`<1>bold</1>`, `<2/>`) are carried as markup the engine keeps; the rest
goes to the engine in batches of whole segments, each batch remembered as soon as it returns.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tasks.documents.base import billable_characters
from tasks.engines.base import Engine, EngineError

ProgressCallback = Callable[[int, int], None]  # (segments done, total)

_PLACEHOLDER = re.compile(r"<(/?)(\d+)(/?)>")
_PLAIN_GLOSSARY = re.compile("\ue000(\\d+)\ue001")
_GLOSSARY_SPAN = re.compile(r'<span class="g(\d+)">.*?</span>', re.DOTALL)
_MARKUP_TOKEN = re.compile(r'<span class="x(\d+)">|</span>|<br class="x(\d+)"\s*/?>|<[^>]*>')

@dataclass
class PipelineResult:
    translations: list[str]
    engine_characters: int  # billed: what the engine translated in this run
    memory_characters: int  # served from memory
    # What the user's assets did, shown on the task page: segments with text, those of them
    # served from memory, and the distinct glossary terms found in the document.
    segments: int = 0
    memory_segments: int = 0
    glossary_terms: int = 0


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


def split_edges(segment: str) -> tuple[str, str, str]:
    core = segment.strip()
    if not core:
        return segment, "", ""
    start = segment.index(core)
    return segment[:start], core, segment[start + len(core):]


class Glossary:
    """Terms protected from the engine: longest first, so "New York City" wins over "New York"."""

    def __init__(self, terms: list[tuple[str, str]]) -> None:
        self.terms = sorted(terms, key=lambda t: len(t[0]), reverse=True)
        self._pattern = re.compile("|".join(_term_pattern(s) for s, _ in self.terms)) if self.terms else None
        self._index = {s: i for i, (s, _) in enumerate(self.terms)}

    def protect(self, text: str, token: Callable[[int], str], between: Callable[[str], str] = str) -> str:
        """`text` with each term replaced by `token(index)` and the text between terms passed
        through `between` (escaping for markup engines, so a term like "R&D" still matches)."""
        if self._pattern is None:
            return between(text)
        out: list[str] = []
        position = 0
        for match in self._pattern.finditer(text):
            out.append(between(text[position:match.start()]))
            out.append(token(self._index[match.group(0)]))
            position = match.end()
        out.append(between(text[position:]))
        return "".join(out)

    def target(self, index: int) -> str:
        return self.terms[index][1]

    def terms_found(self, texts: list[str]) -> int:
        """How many distinct terms occur in these texts (each is protected wherever it occurs)."""
        if self._pattern is None:
            return 0
        return len({match.group(0) for text in texts for match in self._pattern.finditer(text)})


# Letters of alphabetic scripts: a term that starts or ends with one matches whole words only
# ("cat" not inside "category"). CJK text has no spaces, so CJK terms match anywhere.
_WORD_CHAR = "0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"


def _term_pattern(term: str) -> str:
    pattern = re.escape(term)
    if re.match(f"[{_WORD_CHAR}]", term[:1]):
        pattern = f"(?<![{_WORD_CHAR}])" + pattern
    if re.match(f"[{_WORD_CHAR}]", term[-1:]):
        pattern += f"(?![{_WORD_CHAR}])"
    return pattern


def to_engine(core: str, engine: Engine, glossary: Glossary | None) -> str:
    """The text an engine receives. Markup engines get an HTML fragment: text escaped, formatting
    placeholders as inline tags (`<span class="x1">…</span>`, `<br class="x2">`) and glossary terms
    wrapped as `<span class="g0">term</span>`; inline tags keep their place in the sentence (a
    block-level or unknown tag would split it). Plain engines (character converters) get the text
    as it is, glossary terms swapped for private-use tokens."""
    if engine.markup != "html":
        return glossary.protect(core, lambda i: f"\ue000{i}\ue001") if glossary else core
    out = []
    position = 0
    for match in _PLACEHOLDER.finditer(core):
        out.append(_escape(core[position:match.start()], glossary))
        closing, number, empty = match.groups()
        out.append("</span>" if closing else f'<br class="x{number}">' if empty else f'<span class="x{number}">')
        position = match.end()
    out.append(_escape(core[position:], glossary))
    return "".join(out)


def _escape(text: str, glossary: Glossary | None) -> str:
    def escape(part: str) -> str:
        return html.escape(part, quote=False)

    if not glossary:
        return escape(text)
    return glossary.protect(text, lambda i: f'<span class="g{i}">{escape(glossary.terms[i][0])}</span>', escape)


def from_engine(text: str, engine: Engine, glossary: Glossary | None) -> str:
    if engine.markup != "html":
        return _PLAIN_GLOSSARY.sub(lambda m: glossary.target(int(m.group(1))), text) if glossary else text
    if glossary:
        text = _GLOSSARY_SPAN.sub(lambda m: html.escape(glossary.target(int(m.group(1))), quote=False), text)
    out: list[str] = []
    open_spans: list[str] = []
    position = 0
    for match in _MARKUP_TOKEN.finditer(text):
        out.append(html.unescape(text[position:match.start()]))
        position = match.end()
        opened, empty = match.group(1), match.group(2)
        token = match.group(0)
        if opened:
            open_spans.append(opened)
            out.append(f"<{opened}>")
        elif empty:
            out.append(f"<{empty}/>")
        elif token == "</span>" and open_spans:
            out.append(f"</{open_spans.pop()}>")
        # any other tag an engine invented is dropped
    out.append(html.unescape(text[position:]))
    return "".join(out).strip()


def run_pipeline(engine: Engine, segments: list[str], source: str, target: str, *,
                 on_progress: ProgressCallback | None = None, memory=None,  # type: ignore[no-untyped-def]
                 glossary: Glossary | None = None) -> PipelineResult:
    parts = [split_edges(s) for s in segments]
    unique = list(dict.fromkeys(core for _, core, _ in parts if core))
    translated: dict[str, str] = memory.lookup(unique) if memory is not None else {}
    pending = [core for core in unique if core not in translated]
    done = len(unique) - len(pending)
    if on_progress and done:
        on_progress(done, len(unique))
    for batch in batches(pending, engine.batch_chars):
        result = engine.translate([to_engine(core, engine, glossary) for core in batch], source, target)
        if len(result) != len(batch):
            raise EngineError(_("The %(engine)s engine returned %(returned)s translations for %(sent)s segments."),
                              params={"engine": engine.label, "returned": len(result), "sent": len(batch)})
        fresh = {core: from_engine(out, engine, glossary) for core, out in zip(batch, result)}
        translated.update(fresh)
        if memory is not None:
            memory.store(fresh)
        done += len(batch)
        if on_progress:
            on_progress(done, len(unique))
    translations = [lead + translated[core] + trail if core else lead for lead, core, trail in parts]
    pending_set = set(pending)
    memory_hits = {core for core in unique if core not in pending_set}
    return PipelineResult(
        translations=translations,
        engine_characters=billable_characters(pending),
        memory_characters=sum(billable_characters([core]) for _, core, _ in parts if core in memory_hits),
        segments=sum(1 for _, core, _ in parts if core),
        memory_segments=sum(1 for _, core, _ in parts if core in memory_hits),
        glossary_terms=glossary.terms_found(unique) if glossary else 0,
    )


def engine_key(engine_name: str, glossary_id: int | None) -> str:
    """Memory is kept per engine, and per glossary when one was applied."""
    return f"{engine_name}+glossary:{glossary_id}" if glossary_id else engine_name


def linguistic_assets(*, user_id: int, engine_name: str, source: str, target: str,
                      glossary_id: int | None):  # type: ignore[no-untyped-def]
    """The user's memory for this engine and pair, and the glossary chosen for the task (if any)."""
    from memory.services import Memory, glossary_terms

    memory = Memory(user_id=user_id, engine_key=engine_key(engine_name, glossary_id),
                    source_lang=source, target_lang=target)
    glossary = Glossary(glossary_terms(user_id=user_id, glossary_id=glossary_id)) if glossary_id else None
    return memory, glossary


def billing_plan(segments: list[str], memory) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(characters the engine will be paid for, characters served from memory): each distinct
    segment is translated once, and one found in memory not at all."""
    cores = [split_edges(s)[1] for s in segments]
    unique = list(dict.fromkeys(c for c in cores if c))
    known = memory.lookup(unique) if memory is not None else {}
    billed = billable_characters([c for c in unique if c not in known])
    from_memory = billable_characters([c for c in cores if c and c in known])
    return billed, from_memory
