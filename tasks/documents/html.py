"""HTML: text translated per block (a paragraph, a heading, a cell) with its inline tags carried
as placeholders, plus `alt`, `title` and `placeholder` attributes. The output is the source
with only those ranges replaced, so `script`, `style`, `code`, `pre`, every other attribute,
entities, comments and the doctype are byte for byte the original. `<html lang>` is set to
the target language; a non-UTF-8 `<meta charset>` becomes UTF-8 (the output is UTF-8)."""
from __future__ import annotations

import bisect
import codecs
from array import array
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.inline import Inline, InlineBuilder, render_text, restore
from tasks.documents.txt import decode_text

SKIP = {"script", "style", "code", "pre", "textarea", "kbd", "samp", "svg", "math", "template", "noscript"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins", "label",
          "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "tt", "u"}
VOID_INLINE = {"br", "img", "wbr", "input"}
ATTRIBUTES = ("alt", "title", "placeholder")
_WS = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(r"(<meta\b[^>]*?charset\s*=\s*[\"']?)([\w-]+)", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    match = _CHARSET.search(data[:4096].decode("ascii", "replace"))
    if match and match.group(2).lower() not in ("utf-8", "utf8"):
        try:
            text = data.decode(match.group(2))
        except (LookupError, UnicodeDecodeError):
            text = decode_text(data)
    else:
        text = decode_text(data)
    return _CHARSET.sub(lambda m: m.group(1) + "utf-8", text, count=1) if match else text


@dataclass(slots=True)
class Event:
    kind: str  # start, end, startend, data, entity, other
    tag: str
    start: int
    end: int = 0
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[Event] = []
        self.line_starts = [0]
        for match in re.finditer("\n", source):
            self.line_starts.append(match.end())

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(Event("start", tag, self._at(), attrs=attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(Event("startend", tag, self._at(), attrs=attrs))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(Event("end", tag, self._at()))

    def handle_data(self, data: str) -> None:
        self.events.append(Event("data", "", self._at(), text=data))

    def handle_entityref(self, name: str) -> None:
        self.events.append(Event("data", "", self._at(), text=html.unescape(f"&{name};")))

    def handle_charref(self, name: str) -> None:
        self.events.append(Event("data", "", self._at(), text=html.unescape(f"&#{name};")))

    def _other(self, *_: Any) -> None:
        self.events.append(Event("other", "", self._at()))

    handle_comment = handle_decl = handle_pi = unknown_decl = _other


@dataclass
class Flow:
    """A run of inline content between block boundaries: one segment."""

    first: int  # events
    last: int
    start: int  # characters
    end: int
    inline: Inline
    lead: str
    trail: str
    text_only: bool  # inside <title> or <option>: no markup allowed


@dataclass
class AttrUnit:
    event: int
    name: str
    inline: Inline


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\xa0", "&nbsp;")


def _set_attribute(raw: str, name: str, value: str) -> str:
    pattern = re.compile(r"(\s" + name + r"\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)", re.IGNORECASE)
    quoted = '"' + html.escape(value, quote=True) + '"'
    if pattern.search(raw):
        return pattern.sub(lambda m: m.group(1) + quoted, raw, count=1)
    return re.sub(r"^(<[A-Za-z][\w:-]*)", lambda m: f"{m.group(1)} {name}={quoted}", raw, count=1)


class HtmlDocument(Document):
    def __init__(self, source: str) -> None:
        self.source = source
        collector = _Collector(source)
        try:
            collector.feed(source)
            collector.close()
        except (AssertionError, ValueError) as exc:
            raise DocumentError(f"This HTML cannot be read: {exc}", code="corrupt_document") from None
        self.events = events = collector.events
        for i, event in enumerate(events):
            event.end = events[i + 1].start if i + 1 < len(events) else len(source)
        self.units: list[Flow | AttrUnit] = []
        self.html_tag: int | None = None
        self._walk()
        # Only positions are needed from here on: keep them compact (a 5 MB page has ~600k events).
        self.bounds = array("q", [e.start for e in events] + [len(source)])
        self.is_tag = bytes(e.kind in ("start", "startend") for e in events)
        del self.events, events, collector
        super().__init__([u.inline.segment for u in self.units])

    def _walk(self) -> None:
        events = self.events
        flow: list[tuple[str, int, int]] = []  # (kind, first event, last event)
        container: list[str] = []
        i = 0
        while i < len(events):
            event = events[i]
            if event.kind in ("start", "startend"):
                if event.tag == "html" and self.html_tag is None:
                    self.html_tag = i
                attrs = dict(event.attrs)
                skipped = event.tag in SKIP or attrs.get("translate") == "no" or "notranslate" in (attrs.get("class") or "").split()
                if skipped and event.kind == "start":
                    end = self._matching_end(i)
                    if event.tag in INLINE or event.tag in ("code", "kbd", "samp"):
                        flow.append(("atom", i, end))
                    else:
                        self._flush(flow, container)
                    i = end + 1
                    continue
                self._attributes(i)
                if event.tag in VOID_INLINE:
                    flow.append(("atom", i, i))
                elif event.tag in INLINE and event.kind == "start":
                    flow.append(("open", i, i))
                else:
                    self._flush(flow, container)
                    if event.kind == "start":
                        container.append(event.tag)
            elif event.kind == "end":
                if event.tag in INLINE:
                    flow.append(("close", i, i))
                else:
                    self._flush(flow, container)
                    if event.tag in container:
                        while container and container.pop() != event.tag:
                            pass
            elif event.kind == "data":
                flow.append(("text", i, i))
            else:
                flow.append(("atom", i, i))
            i += 1
        self._flush(flow, container)

    def _matching_end(self, i: int) -> int:
        tag, depth = self.events[i].tag, 0
        for k in range(i, len(self.events)):
            event = self.events[k]
            if event.tag == tag and event.kind == "start":
                depth += 1
            elif event.tag == tag and event.kind == "end":
                depth -= 1
                if depth == 0:
                    return k
        return len(self.events) - 1

    def _attributes(self, i: int) -> None:
        for name, value in self.events[i].attrs:
            if name in ATTRIBUTES and value and value.strip():
                builder = InlineBuilder()
                builder.text(value)
                self.units.append(AttrUnit(i, name, builder.build()))

    def _flush(self, flow: list[tuple[str, int, int]], container: list[str]) -> None:
        items, flow[:] = list(flow), []
        texts = [self.events[a].text for kind, a, _ in items if kind == "text"]
        if not "".join(texts).strip():
            return
        # Pair inline tags: outermost pairs become spans, everything else an atom.
        partner: dict[int, int] = {}
        stack: list[int] = []
        for n, (kind, a, _) in enumerate(items):
            if kind == "open":
                stack.append(n)
            elif kind == "close":
                for depth in range(len(stack) - 1, -1, -1):
                    if self.events[items[stack[depth]][1]].tag == self.events[a].tag:
                        partner[stack[depth]] = n
                        del stack[depth:]
                        break
        first_text = next(n for n, it in enumerate(items) if it[0] == "text" and self.events[it[1]].text.strip())
        last_text = max(n for n, it in enumerate(items) if it[0] == "text" and self.events[it[1]].text.strip())
        lead_text = self.events[items[first_text][1]].text
        trail_text = self.events[items[last_text][1]].text
        lead = lead_text[:len(lead_text) - len(lead_text.lstrip())]
        trail = trail_text[len(trail_text.rstrip()):]
        builder = InlineBuilder()
        open_until: int | None = None
        pieces = []
        for n, (kind, a, b) in enumerate(items):
            text = self.events[a].text if kind == "text" else ""
            if n == first_text:
                text = text.lstrip()
            if n == last_text:
                text = text.rstrip()
            if kind == "text" and (n < first_text or n > last_text):
                text = ""  # outer blanks: kept in lead/trail
            if kind == "text":
                pieces.append(text)
                builder.text(_WS.sub(" ", text))
            elif kind == "open" and n in partner and open_until is None:
                builder.open((a, items[partner[n]][1]))
                open_until = partner[n]
            elif kind == "close" and n == open_until:
                builder.close()
                open_until = None
            else:
                builder.atom((a, b))
        start = self.events[items[0][1]].start
        end = self.events[items[-1][2]].end
        text_only = bool(container) and container[-1] in ("title", "option")
        self.units.append(Flow(items[0][1], items[-1][2], start, end, builder.build(), lead, trail, text_only))

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        self.fallbacks = 0
        raw: dict[int, str] = {}

        bounds = self.bounds

        def tag_text(i: int) -> str:
            return raw.get(i, self.source[bounds[i]:bounds[i + 1]])

        for unit, translated in zip(self.units, translations):
            if isinstance(unit, AttrUnit):
                value = translated if not bilingual else f"{unit.inline.segment} / {translated}"
                raw[unit.event] = _set_attribute(tag_text(unit.event), unit.name, value)
        if target_lang and self.html_tag is not None:
            raw[self.html_tag] = _set_attribute(tag_text(self.html_tag), "lang", target_lang)

        def atom(payload: tuple[int, int]) -> str:
            a, b = payload
            if a == b:
                return tag_text(a)
            return self.source[bounds[a]:bounds[b + 1]]

        edits: list[tuple[int, int, str]] = []
        covered: list[tuple[int, int]] = []  # flows, in document order
        for unit, translated in zip(self.units, translations):
            if not isinstance(unit, Flow):
                continue
            restored = restore(translated, unit.inline)
            self.fallbacks += not restored.intact
            if unit.text_only:
                new = _escape(restored.text())
            else:
                new = render_text(restored, atom=atom, text=_escape,
                                  span=lambda p, inner: tag_text(p[0]) + inner + tag_text(p[1]))
            original = self.source[unit.start:unit.end]
            if bilingual:
                own = self._original_with_attributes(unit, tag_text)
                new = (f"{own.rstrip()} / {new}" if unit.text_only else
                       f'{own.rstrip()}<br><span class="zhiyi-translation"'
                       f'{f" lang={chr(34)}{target_lang}{chr(34)}" if target_lang else ""}>{new}</span>')
                new = new + original[len(original.rstrip()):]
            else:
                new = unit.lead + new + unit.trail
            edits.append((unit.start, unit.end, new))
            covered.append((unit.start, unit.end))
        starts = [a for a, _ in covered]
        for i, text in raw.items():
            start = bounds[i]
            k = bisect.bisect_right(starts, start) - 1
            if k < 0 or start >= covered[k][1]:  # a tag outside every translated flow
                edits.append((start, bounds[i + 1], text))
        out, last = [], 0
        for start, end, text in sorted(edits):
            out.append(self.source[last:start])
            out.append(text)
            last = end
        out.append(self.source[last:])
        return "".join(out).encode("utf-8")

    def _original_with_attributes(self, unit: Flow, tag_text: Any) -> str:
        parts, last = [], unit.start
        for i in range(unit.first, unit.last + 1):
            if self.is_tag[i]:
                parts.append(self.source[last:self.bounds[i]])
                parts.append(tag_text(i))
                last = self.bounds[i + 1]
        parts.append(self.source[last:unit.end])
        return "".join(parts)


class HtmlHandler(DocumentHandler):
    format = "html"
    label = "HTML page"
    extensions = ("html", "htm", "xhtml")
    output = Output("html", "text/html; charset=utf-8")
    supports_bilingual = True

    def sniff(self, data: bytes) -> bool:
        try:
            text = decode_html(data)
        except DocumentError:
            return False
        return re.search(r"<(?:!doctype|[a-z])", text[:65536], re.IGNORECASE) is not None

    def parse(self, data: bytes) -> HtmlDocument:
        return HtmlDocument(decode_html(data))
