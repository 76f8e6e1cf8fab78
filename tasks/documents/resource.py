"""What the developers' resource files share (JSON, YAML, Android strings.xml, Apple .strings,
Java .properties): values are messages with placeholders, keys are code.

`protect` turns a message into a segment whose placeholders are atoms the engine never sees:
printf (`%d`, `%1$s`, `%@`, `%(name)s`), brace and ICU arguments (`{count}`, `{0,number}`,
`{{count}}`), Rails and Ruby interpolation (`%{name}`, `#{name}`), WebExtension `$name$`, and
markup tags. ICU `plural`/`select` structures keep their skeleton (`{n, plural, one {` … `}`)
as atoms and give the engine only the words of each branch.

`SpanDocument` is for formats read as text: each message is a span of the file, and the
translated file is the original with only those spans replaced (so comments, order, spacing
and keys come back byte for byte)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.documents.base import Document
from tasks.documents.inline import Inline, InlineBuilder, has_letters, render_text, restore

_SIMPLE = re.compile(
    r"%(?:\d+\$)?[-#0 +']*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn@%]"
    r"|%\([^)\s]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"
    r"|%\{[^{}\s]+\}|%<[^<>\s]+>[a-zA-Z]|#\{[^{}]*\}"
    r"|\{\{[^{}]*\}\}"
    r"|\{\s*[\w.-]+\s*(?:,\s*\w+\s*(?:,[^{}]*)?)?\}"
    r"|\$[A-Za-z_][\w@]*\$"
    r"|</?[A-Za-z][^<>\n]*>")
_ICU_HEAD = re.compile(r"\{\s*[\w.-]+\s*,\s*(?:plural|select|selectordinal)\s*,(?:\s*offset:\d+)?")
_ICU_CASE = re.compile(r"\s*(?:=\d+|[\w-]+)\s*\{")
_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)\S*\s*$", re.IGNORECASE)


class _Pieces:
    """Text and atoms, adjacent atoms merged into one (fewer placeholders for the engine)."""

    def __init__(self) -> None:
        self.builder = InlineBuilder()
        self.pending = ""

    def text(self, text: str) -> None:
        if text:
            self.flush()
            self.builder.text(text)

    def atom(self, code: str) -> None:
        self.pending += code

    def flush(self) -> None:
        if self.pending:
            self.builder.atom(self.pending)
            self.pending = ""

    def build(self) -> Inline:
        self.flush()
        return self.builder.build()


def _icu_message(text: str, pos: int, pieces: _Pieces, *, in_plural: bool, nested: bool) -> int:
    """Read a message from `pos` up to an unmatched `}` (when nested); returns where it stopped."""
    start = pos
    while pos < len(text):
        ch = text[pos]
        if ch == "}" and nested:
            break
        if ch == "#" and in_plural:
            pieces.text(text[start:pos])
            pieces.atom("#")
            pos += 1
            start = pos
            continue
        if ch in "{%#$<":
            head = _ICU_HEAD.match(text, pos) if ch == "{" else None
            if head:
                end = _icu_branches(text, head.end(), pieces, before=text[start:pos], head=head.group(0),
                                    plural="select," not in head.group(0).replace(" ", ""))
                if end is not None:
                    pos = start = end
                    continue
            simple = _SIMPLE.match(text, pos)
            if simple:
                pieces.text(text[start:pos])
                pieces.atom(simple.group(0))
                pos = start = simple.end()
                continue
        pos += 1
    pieces.text(text[start:pos])
    return pos


def _icu_branches(text: str, pos: int, pieces: _Pieces, *, before: str, head: str, plural: bool) -> int | None:
    """The cases of a plural/select after its head; None when it is not well formed (then the
    brace is read as text)."""
    # Parse on a scratch builder first: a malformed structure must leave the real one untouched.
    if _scan_branches(text, pos, _Pieces(), plural=plural) is None:
        return None
    pieces.text(before)
    pieces.atom(head)
    return _scan_branches(text, pos, pieces, plural=plural)


def _scan_branches(text: str, pos: int, pieces: _Pieces, *, plural: bool) -> int | None:
    seen = False
    while True:
        case = _ICU_CASE.match(text, pos)
        if not case:
            close = re.compile(r"\s*\}").match(text, pos)
            if close and seen:
                pieces.atom(close.group(0))
                return close.end()
            return None
        pieces.atom(case.group(0))
        pos = _icu_message(text, case.end(), pieces, in_plural=plural, nested=True)
        if pos >= len(text) or text[pos] != "}":
            return None
        pieces.atom("}")
        pos += 1
        seen = True


def protect(message: str) -> Inline:
    pieces = _Pieces()
    _icu_message(message, 0, pieces, in_plural=False, nested=False)
    return pieces.build()


def worth_translating(message: str) -> bool:
    """A message with words in it, other than a lone URL or placeholders."""
    inline = protect(message)
    words = re.sub(r"<\d+/>", "", inline.segment)
    return has_letters(words) and not _URL.match(message)


def restored_text(translation: str, inline: Inline) -> tuple[str, bool]:
    """The translation with its placeholders put back, and whether all came back intact."""
    restored = restore(translation, inline)
    return render_text(restored, atom=str, span=lambda _p, t: t), restored.intact


@dataclass
class Message:
    start: int  # the span of the file the message's raw form takes
    end: int
    inline: Inline


class SpanDocument(Document):
    """The file as text; `messages` are spans of it, `escape` writes a translation in the
    format's own quoting. `language_spans` are spans that name the file's language: they get
    the target's code (`escape`d too) when one is given."""

    def __init__(self, text: str, messages: list[Message], escape: Callable[[str], str],
                 language_spans: list[tuple[int, int]] = ()) -> None:  # type: ignore[assignment]
        self.text = text
        self.messages = messages
        self.escape = escape
        self.language_spans = list(language_spans)
        super().__init__([m.inline.segment for m in messages])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        self.fallbacks = 0
        replacements = []
        for message, translated in zip(self.messages, translations):
            text, intact = restored_text(translated, message.inline)
            self.fallbacks += not intact
            replacements.append((message.start, message.end, self.escape(text)))
        if target_lang:
            replacements += [(start, end, self.escape(target_lang)) for start, end in self.language_spans]
        out, last = [], 0
        for start, end, text in sorted(replacements):
            out.append(self.text[last:start])
            out.append(text)
            last = end
        out.append(self.text[last:])
        return self.encode_output("".join(out))
