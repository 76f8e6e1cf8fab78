"""HTML: text translated per block (a paragraph, a heading, a cell) with its inline tags carried
as placeholders, plus `alt`, `title` and `placeholder` attributes. The output is the source
with only those ranges replaced, so `script`, `style`, `code`, `pre`, every other attribute,
entities, comments and the doctype are byte for byte the original. `<html lang>` is set to
the target language. The output keeps the page's encoding; when that cannot hold the
translation it is UTF-8 and the `<meta charset>` says so."""
from __future__ import annotations

import bisect
import html
import re
from array import array
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.encoding import Decoded, decode
from tasks.documents.inline import Inline, InlineBuilder, has_letters, render_text, restore

SKIP = {"script", "style", "code", "pre", "textarea", "kbd", "samp", "svg", "math", "template", "noscript"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font", "i", "ins", "label",
          "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "tt", "u"}
VOID_INLINE = {"br", "img", "wbr", "input"}
ATTRIBUTES = ("alt", "title", "placeholder")
_WS = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(r"(<meta\b[^>]*?charset\s*=\s*[\"']?)([\w-]+)", re.IGNORECASE)


def decode_html(data: bytes) -> Decoded:
    """The page's text, in the encoding its `<meta charset>` declares when the bytes agree."""
    match = _CHARSET.search(data[:4096].decode("ascii", "replace"))
    return decode(data, declared=match.group(2) if match else None)


class _Tokenizer(HTMLParser):
    """The stdlib tokenizer, handing each event and its start offset to `sink` as it goes
    (nothing is collected: a 5 MB page has ~600k events)."""

    def __init__(self, source: str, sink: Any) -> None:
        super().__init__(convert_charrefs=False)
        self.sink = sink
        self.line_starts = [0]
        for match in re.finditer("\n", source):
            self.line_starts.append(match.end())

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.sink("start", tag, self._at(), attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.sink("startend", tag, self._at(), attrs, "")

    def handle_endtag(self, tag: str) -> None:
        self.sink("end", tag, self._at(), (), "")

    def handle_data(self, data: str) -> None:
        self.sink("data", "", self._at(), (), data)

    def handle_entityref(self, name: str) -> None:
        self.sink("data", "", self._at(), (), html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.sink("data", "", self._at(), (), html.unescape(f"&#{name};"))

    def _other(self, *_: Any) -> None:
        self.sink("other", "", self._at(), (), "")

    handle_comment = handle_decl = handle_pi = unknown_decl = _other


@dataclass(slots=True)
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


@dataclass(slots=True)
class AttrUnit:
    event: int
    name: str
    inline: Inline


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\xa0", "&nbsp;")


def _escape_xml(text: str) -> str:
    """XHTML is XML: no `&nbsp;` (an entity XML does not know)."""
    return html.escape(text, quote=False).replace("\xa0", "&#160;")


_XHTML = re.compile(r"^\ufeff?\s*<\?xml\b|xmlns\s*=\s*[\"']http://www\.w3\.org/1999/xhtml")


def _set_attribute(raw: str, name: str, value: str) -> str:
    pattern = re.compile(r"(\s" + name + r"\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)", re.IGNORECASE)
    quoted = '"' + html.escape(value, quote=True) + '"'
    if pattern.search(raw):
        return pattern.sub(lambda m: m.group(1) + quoted, raw, count=1)
    return re.sub(r"^(<[A-Za-z][\w:-]*)", lambda m: f"{m.group(1)} {name}={quoted}", raw, count=1)


class HtmlDocument(Document):
    def __init__(self, source: str) -> None:
        self.source = source
        self.escape = _escape_xml if _XHTML.search(source[:4096]) else _escape
        # Per event: its start offset (and the source's end last), and whether it is a start tag.
        self.bounds = array("q")
        self.is_tag = bytearray()
        self.units: list[Flow | AttrUnit] = []
        self.html_tag: int | None = None
        self.flow: list[tuple[str, int, int, str]] = []  # (kind, first event, last event, text or tag)
        self.container: list[str] = []
        self.skip: list[Any] | None = None  # [tag, depth, first event, inline]
        tokenizer = _Tokenizer(source, self._event)
        try:
            tokenizer.feed(source)
            tokenizer.close()
        except (AssertionError, ValueError) as exc:
            raise DocumentError(_("This HTML cannot be read: %(reason)s"), params={"reason": exc},
                                code="corrupt_document") from None
        last = len(self.bounds) - 1
        self.bounds.append(len(source))
        if self.skip is not None and self.skip[3]:
            self.flow.append(("atom", self.skip[2], last, ""))
        self._flush()
        del self.flow, self.skip
        super().__init__([u.inline.segment for u in self.units])

    def _event(self, kind: str, tag: str, start: int, attrs: Any, text: str) -> None:
        i = len(self.bounds)
        self.bounds.append(start)
        self.is_tag.append(kind in ("start", "startend"))
        skip = self.skip
        if skip is not None:  # inside script, style, code, pre, translate="no": one atom or nothing
            if tag == skip[0] and kind == "start":
                skip[1] += 1
            elif tag == skip[0] and kind == "end":
                skip[1] -= 1
                if skip[1] == 0:
                    if skip[3]:
                        self.flow.append(("atom", skip[2], i, ""))
                    self.skip = None
            return
        if kind in ("start", "startend"):
            if tag == "html" and self.html_tag is None:
                self.html_tag = i
            found = dict(attrs)
            skipped = tag in SKIP or found.get("translate") == "no" or "notranslate" in (found.get("class") or "").split()
            if skipped and kind == "start":
                inline = tag in INLINE or tag in ("code", "kbd", "samp")
                if not inline:
                    self._flush()
                self.skip = [tag, 1, i, inline]
                return
            self._attributes(i, attrs)
            if tag in VOID_INLINE:
                self.flow.append(("atom", i, i, ""))
            elif tag in INLINE and kind == "start":
                self.flow.append(("open", i, i, tag))
            else:
                self._flush()
                if kind == "start":
                    self.container.append(tag)
        elif kind == "end":
            if tag in INLINE:
                self.flow.append(("close", i, i, tag))
            else:
                self._flush()
                if tag in self.container:
                    while self.container and self.container.pop() != tag:
                        pass
        elif kind == "data":
            self.flow.append(("text", i, i, text))
        else:
            self.flow.append(("atom", i, i, ""))

    def _attributes(self, i: int, attrs: Any) -> None:
        for name, value in attrs:
            if name in ATTRIBUTES and value and value.strip():
                builder = InlineBuilder()
                builder.text(value)
                self.units.append(AttrUnit(i, name, builder.build()))

    def _flush(self) -> None:
        items, self.flow = self.flow, []
        if not any(kind == "text" and value.strip() for kind, _first, _last, value in items):
            return
        # Pair inline tags; pairs nest (a crossed or unclosed tag is an atom of its own).
        partner: dict[int, int] = {}
        stack: list[int] = []
        for n, (kind, _first, _last, value) in enumerate(items):
            if kind == "open":
                stack.append(n)
            elif kind == "close":
                for depth in range(len(stack) - 1, -1, -1):
                    if items[stack[depth]][3] == value:
                        partner[stack[depth]] = n
                        del stack[depth:]
                        break
        # A pair with no words inside (`<i class="fa"></i>`, `<a><sup>1</sup></a>`, `<b> </b>`)
        # is one atom, byte for byte: the engine has nothing to translate there and may drop it.
        whole: dict[int, int] = {}
        n = 0
        while n < len(items):
            if items[n][0] == "open" and n in partner:
                inside = items[n + 1:partner[n]]
                if not any(kind == "text" and has_letters(value) for kind, _first, _last, value in inside):
                    whole[n] = partner[n]
                    n = partner[n] + 1
                    continue
            n += 1
        hidden: set[int] = {k for a, b in whole.items() for k in range(a, b + 1)}
        texts = [n for n, it in enumerate(items) if it[0] == "text" and it[3].strip() and n not in hidden]
        if not texts:
            return
        first_text, last_text = texts[0], texts[-1]
        lead_text, trail_text = items[first_text][3], items[last_text][3]
        # Blanks at the flow's edges stay outside the segment; blanks next to an atom at the edge
        # stay inside it, next to the atom.
        strip_lead = all(items[k][0] == "text" for k in range(first_text))
        strip_trail = all(items[k][0] == "text" for k in range(last_text + 1, len(items)))
        lead = lead_text[:len(lead_text) - len(lead_text.lstrip())] if strip_lead else ""
        trail = trail_text[len(trail_text.rstrip()):] if strip_trail else ""
        builder = InlineBuilder()
        closes: set[int] = set()
        n = 0
        while n < len(items):
            kind, a, b, value = items[n]
            if n in whole:
                builder.atom((a, items[whole[n]][2]))
                n = whole[n] + 1
                continue
            if kind == "text":
                text = value
                if n == first_text and strip_lead:
                    text = text.lstrip()
                if n == last_text and strip_trail:
                    text = text.rstrip()
                if (n < first_text and strip_lead) or (n > last_text and strip_trail):
                    text = ""  # outer blanks: kept in lead/trail
                builder.text(_WS.sub(" ", text))
            elif kind == "open" and n in partner:
                builder.open((a, items[partner[n]][1]))
                closes.add(partner[n])
            elif kind == "close" and n in closes:
                builder.close()
            else:
                builder.atom((a, b))
            n += 1
        first, last = items[0][1], items[-1][2]
        # The flow ends where the event after its last one starts: already recorded, because a
        # flush is triggered by a later event (or by the end of the source).
        text_only = bool(self.container) and self.container[-1] in ("title", "option")
        self.units.append(Flow(first, last, self.bounds[first], self.bounds[last + 1], builder.build(), lead, trail,
                               text_only))

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
                new = self.escape(restored.text())
            else:
                new = render_text(restored, atom=atom, text=self.escape,
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
        text = "".join(out)
        data = self.encode_output(text)
        if not self.output_encoding_kept:  # written as UTF-8: the page must say so
            data = _CHARSET.sub(lambda m: m.group(1) + "utf-8", text, count=1).encode("utf-8")
        return data

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
    label = gettext_lazy("HTML page")
    extensions = ("html", "htm", "xhtml")
    output = Output("html", "text/html")
    supports_bilingual = True
    kept = gettext_lazy("The markup, links, attributes other than titles and alt texts, "
                        "scripts and styles; the lang attribute is set to the target.")

    def sniff(self, data: bytes) -> bool:
        try:
            text = decode_html(data).text
        except DocumentError:
            return False
        return re.search(r"<(?:!doctype|[a-z])", text[:65536], re.IGNORECASE) is not None

    def parse(self, data: bytes) -> HtmlDocument:
        decoded = decode_html(data)
        document = HtmlDocument(decoded.text)
        document.source_encoding = decoded
        return document
