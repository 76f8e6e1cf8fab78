"""Markdown: paragraphs, headings, list items, block quotes and table cells are translated;
front matter, fenced and indented code, HTML blocks, link reference definitions are copied
line for line. Inside text, code spans, URLs, link targets, images and inline HTML are atoms
(`[text](url)` keeps its URL and translates its text). Container markers (`> `, `- `, `1. `,
`## `) stay in place, and when the engine keeps the line count so does every line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

from tasks.documents.base import Document, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.inline import Inline, InlineBuilder, has_letters, render_text, restore

_INLINE = re.compile(
    r"(?P<code>(?<!\\)(`+)[^\n][\s\S]*?(?<!`)\2(?!`))"
    r"|(?P<rawcode><(?P<rawtag>code|kbd|samp)\b[^>\n]*>.*?</(?P=rawtag)>)"
    r"|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<ltext>[^\[\]]+)\](?P<ltarget>\([^)\n]*\)|\[[^\]\n]*\]))"
    r"|(?P<ref>\[(?P<label>[^\[\]]+)\])"
    r"|(?P<auto><(?:https?|mailto|ftp):[^>\s]+>)"
    r"|(?P<html></?[A-Za-z][^>\n]*>)"
    r"|(?P<url>https?://[^\s)>\]]+)"
)
_FIRST_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?(?:#{1,6}[ \t]+)?")
_NEXT_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def protect(text: str, references: frozenset[str] = frozenset()) -> Inline:
    """`references`: the document's link reference labels (normalised), whose shortcut uses
    (`[label]`) must keep their exact text to resolve."""
    builder = InlineBuilder()
    _protect_into(builder, text, references)
    return builder.build()


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _protect_into(builder: InlineBuilder, text: str, references: frozenset[str]) -> None:
    last = 0
    for match in _INLINE.finditer(text):
        if match.group("ref") and _label(match.group("label")) not in references:
            continue  # brackets in prose: text
        builder.text(text[last:match.start()])
        if match.group("link"):
            label = match.group("ltext")
            outside_code = _INLINE.sub(lambda m: "" if m.group("code") or m.group("html") else m.group(0), label)
            if not has_letters(outside_code):
                builder.atom(match.group(0))  # [`name`](url): nothing to translate
            else:
                # The label's own code spans and inline HTML stay atoms inside the link.
                builder.open(("[", "]" + match.group("ltarget")))
                _protect_into(builder, label, references)
                builder.close()
        else:
            builder.atom(match.group(0))
        last = match.end()
    builder.text(text[last:])


def _render(restored) -> str:  # type: ignore[no-untyped-def]
    return render_text(restored, atom=str, span=lambda p, t: p[0] + t + p[1])


@dataclass
class Block:
    """Consecutive source lines whose text (between prefix and suffix) is one segment."""

    lines: list[int]
    prefixes: list[str]
    suffixes: list[str]
    inline: Inline
    cell: tuple[int, int, int] | None = None  # table cell: (line, start, length)


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


class MarkdownDocument(Document):
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        bodies = [line.rstrip("\r\n") for line in self.lines]
        skip = _front_matter_end(bodies)
        source = "\n" * skip + "\n".join(bodies[skip:])
        env: dict = {}
        tokens = MarkdownIt("commonmark").enable("table").parse(source, env)
        self.references = frozenset(_label(k) for k in env.get("references", {}))
        self.blocks: list[Block] = []
        table_rows: set[int] = set()
        for i, token in enumerate(tokens):
            if token.type == "table_open" and token.map:
                start, end = token.map
                table_rows.update(k for k in range(start, end) if k != start + 1)
            if token.type != "inline" or not token.map or i == 0:
                continue
            opener = tokens[i - 1].type
            start, end = token.map
            if start in table_rows:
                continue
            if opener == "heading_open" and tokens[i - 1].markup in ("=", "-"):
                end -= 1  # setext underline
            if opener not in ("paragraph_open", "heading_open"):
                continue
            self._add_block(bodies, list(range(start, end)), heading=opener == "heading_open")
        for row in sorted(table_rows):
            self._add_cells(bodies, row)
        self.blocks.sort(key=lambda b: (b.lines[0], b.cell or (0, 0, 0)))
        super().__init__([b.inline.segment for b in self.blocks])

    def _add_block(self, bodies: list[str], rows: list[int], *, heading: bool) -> None:
        prefixes, suffixes, texts = [], [], []
        for n, row in enumerate(rows):
            line = bodies[row]
            prefix = (_FIRST_PREFIX if n == 0 else _NEXT_PREFIX).match(line).group(0)  # type: ignore[union-attr]
            rest = line[len(prefix):]
            core = _HEADING_CLOSE.sub("", rest) if heading else rest.rstrip()
            if not heading and rest.endswith("\\"):
                core = rest[:-1]
            prefixes.append(prefix)
            suffixes.append(rest[len(core):])
            texts.append(core)
        if "".join(texts).strip():
            self.blocks.append(Block(rows, prefixes, suffixes, protect("\n".join(texts), self.references)))

    def _add_cells(self, bodies: list[str], row: int) -> None:
        line = bodies[row]
        bounds = [m.start() for m in _CELL_SPLIT.finditer(line)]
        edges = [-1, *bounds, len(line)]
        for left, right in zip(edges, edges[1:]):
            cell = line[left + 1:right]
            text = cell.strip()
            if not text:
                continue
            begin = left + 1 + (len(cell) - len(cell.lstrip()))
            self.blocks.append(Block([row], [line[:begin]], [line[begin + len(text):]], protect(text, self.references),
                                     cell=(row, begin, len(text))))

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        out = list(self.lines)
        self.fallbacks = 0
        cells: dict[int, list[tuple[int, int, str]]] = {}
        for block, translated in zip(self.blocks, translations):
            restored = restore(translated, block.inline)
            self.fallbacks += not restored.intact
            text = _render(restored)
            if block.cell:
                row, begin, length = block.cell
                original = self.lines[row][begin:begin + length]
                new = " ".join(text.split("\n"))
                cells.setdefault(row, []).append((begin, len(original), original + "<br>" + new if bilingual else new))
                continue
            out_lines = self._rewrite(block, text)
            ending = self.lines[block.lines[-1]][len(self.lines[block.lines[-1]].rstrip("\r\n")):]
            new = "".join(out_lines) + ending
            if bilingual:
                separator = _NEXT_PREFIX.match(block.prefixes[0]).group(0).rstrip()  # type: ignore[union-attr]
                continuation = [re.sub(r"[-*+]|\d{1,9}[.)]", lambda m: " " * len(m.group(0)), p, count=1)
                                if n == 0 else p for n, p in enumerate(block.prefixes)]
                translated_block = Block(block.lines, continuation, block.suffixes, block.inline)
                original = "".join(self.lines[k] for k in block.lines)
                if not original.endswith(("\n", "\r")):
                    original += "\n"
                new = original + separator + "\n" + "".join(self._rewrite(translated_block, text)) + (ending or "")
            out[block.lines[0]] = new
            for k in block.lines[1:]:
                out[k] = ""
        for row, edits in cells.items():
            line = self.lines[row]
            for begin, length, new in sorted(edits, reverse=True):
                line = line[:begin] + new + line[begin + length:]
            out[row] = line
        return self.encode_output("".join(out))

    @staticmethod
    def _rewrite(block: Block, text: str) -> list[str]:
        parts = text.split("\n")
        if len(parts) == len(block.lines):
            return [p + part + s + ("\n" if n < len(parts) - 1 else "")
                    for n, (p, part, s) in enumerate(zip(block.prefixes, parts, block.suffixes))]
        return [block.prefixes[0] + " ".join(x.strip() for x in parts) + block.suffixes[-1]]


class MarkdownHandler(DocumentHandler):
    format = "md"
    label = gettext_lazy("Markdown")
    extensions = ("md", "markdown")
    output = Output("md", "text/markdown")
    supports_bilingual = True
    kept = gettext_lazy("Headings, lists, tables, links, emphasis, code blocks and front matter.")

    def sniff(self, data: bytes) -> bool:
        return sniff(data) is not None

    def parse(self, data: bytes) -> MarkdownDocument:
        decoded = decode(data)
        document = MarkdownDocument(decoded.text)
        document.source_encoding = decoded
        return document
