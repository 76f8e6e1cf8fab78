"""Subtitles (SRT, WebVTT): only cue text is translated. Indices, timings, cue settings,
headers, NOTE/STYLE/REGION blocks are copied line for line; styling tags (`<i>`, `{\\an8}`,
`<v Speaker>`, timestamps) are atoms the engine never sees. Output keeps the input's encoding."""
from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from tasks.documents.base import Document, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.inline import Inline, InlineBuilder, render_text, restore

_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{3}")
_TAG = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")


def protect(text: str) -> Inline:
    builder = InlineBuilder()
    last = 0
    for match in _TAG.finditer(text):
        builder.text(text[last:match.start()])
        builder.atom(match.group(0))
        last = match.end()
    builder.text(text[last:])
    return builder.build()


class SubtitleDocument(Document):
    """`webvtt`: the WebVTT parsing rules, under which a cue's text also ends at a line that
    contains "-->" (the next cue's timing), blank line or not. In SRT a timing line (and the
    number just before it) ends it too."""

    def __init__(self, text: str, *, webvtt: bool = False) -> None:
        self.lines = text.splitlines(keepends=True)
        self.cues: list[tuple[int, int, Inline]] = []  # (first text line, end line, inline)
        i, n = 0, len(self.lines)
        while i < n:
            if _TIMING.match(self.lines[i]):
                start = i + 1
                end = start
                while end < n and self.lines[end].strip():
                    line = self.lines[end]
                    if ("-->" in line) if webvtt else bool(_TIMING.match(line)):
                        break
                    if (not webvtt and line.strip().isdigit() and end + 1 < n
                            and _TIMING.match(self.lines[end + 1])):
                        break
                    end += 1
                body = "\n".join(line.rstrip("\r\n") for line in self.lines[start:end])
                if body.strip():
                    self.cues.append((start, end, protect(body)))
                i = end
            else:
                i += 1
        super().__init__([inline.segment for _, _, inline in self.cues])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        out = list(self.lines)
        self.fallbacks = 0
        for (start, end, inline), translated in zip(self.cues, translations):
            restored = restore(translated, inline)
            self.fallbacks += not restored.intact
            text = render_text(restored, atom=str, span=lambda _p, t: t)
            first = self.lines[start]
            ending = first[len(first.rstrip("\r\n")):] or "\n"
            # Blank lines would end the cue early: drop them.
            lines = [line for line in text.replace("\r", "").split("\n") if line.strip()] or [" "]
            out[start] = "".join(line + ending for line in lines)
            if end - 1 < len(self.lines) and not self.lines[end - 1].endswith(("\n", "\r")):
                out[start] = out[start][: -len(ending)]  # the file ended without a newline
            for k in range(start + 1, end):
                out[k] = ""
        return self.encode_output("".join(out))


class SrtHandler(DocumentHandler):
    format = "srt"
    label = gettext_lazy("SubRip subtitles")
    extensions = ("srt",)
    output = Output("srt", "application/x-subrip")
    kept = gettext_lazy("Cue numbers, timings, cue settings, styling tags, notes and the encoding.")

    def sniff(self, data: bytes) -> bool:
        text = sniff(data)
        return text is not None and any(_TIMING.match(line) for line in text.splitlines()[:50])

    def parse(self, data: bytes) -> SubtitleDocument:
        decoded = decode(data)
        document = SubtitleDocument(decoded.text, webvtt=self.format == "vtt")
        document.source_encoding = decoded
        return document


class VttHandler(SrtHandler):
    format = "vtt"
    label = gettext_lazy("WebVTT subtitles")
    extensions = ("vtt",)
    output = Output("vtt", "text/vtt")

    def sniff(self, data: bytes) -> bool:
        text = sniff(data)
        return text is not None and text.lstrip("\ufeff").startswith("WEBVTT")
