"""Plain text: decoded in whatever encoding it is written in (tasks/documents/encoding.py),
line structure kept, written back in that encoding (UTF-8 when it cannot hold the translation)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from tasks.documents.base import Document, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff


class TextDocument(Document):
    def __init__(self, lines: list[str]) -> None:
        # Each line keeps its own ending; only lines with text become segments.
        self.lines = lines
        self.segment_lines = [i for i, line in enumerate(lines) if line.strip()]
        super().__init__([lines[i].rstrip("\r\n") for i in self.segment_lines])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        out = list(self.lines)
        for index, line_no, translated in zip(range(len(translations)), self.segment_lines, translations):
            line = self.lines[line_no]
            ending = line[len(line.rstrip("\r\n")):]
            text = translated.replace("\r", " ").replace("\n", " ")
            if bilingual:
                out[line_no] = self.segments[index] + (ending or "\n") + text + ending
            else:
                out[line_no] = text + ending
        return self.encode_output("".join(out))


class TextHandler(DocumentHandler):
    format = "txt"
    label = gettext_lazy("Plain text")
    extensions = ("txt", "text")
    output = Output("txt", "text/plain")
    supports_bilingual = True
    kept = gettext_lazy("Lines, blank lines and the encoding.")

    def sniff(self, data: bytes) -> bool:
        return sniff(data) is not None

    def parse(self, data: bytes) -> TextDocument:
        decoded = decode(data)
        document = TextDocument(decoded.text.splitlines(keepends=True))
        document.source_encoding = decoded
        return document
