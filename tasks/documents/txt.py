"""Plain text: decoded from the common encodings, line structure kept, written as UTF-8."""
from __future__ import annotations

import codecs

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output

# Order matters: BOMs first, then strict UTF-8, then the CJK legacy encodings.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")


def decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError("The file starts like UTF-16 but cannot be decoded.", code="undecodable_text") from None
    if b"\x00" in data:
        raise DocumentError("This looks like a binary file, not text.", code="undecodable_text")
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(
        "The text could not be decoded (tried UTF-8, UTF-16, GB18030 and Big5).", code="undecodable_text"
    )


class TextDocument(Document):
    def __init__(self, lines: list[str]) -> None:
        # Each line keeps its own ending; only lines with text become segments.
        self.lines = lines
        self.segment_lines = [i for i, line in enumerate(lines) if line.strip()]
        super().__init__([lines[i].rstrip("\r\n") for i in self.segment_lines])

    def build(self, translations: list[str], *, bilingual: bool = False) -> bytes:
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
        return "".join(out).encode("utf-8")


class TextHandler(DocumentHandler):
    format = "txt"
    label = "Plain text"
    extensions = ("txt", "text")
    output = Output("txt", "text/plain; charset=utf-8")
    supports_bilingual = True

    def sniff(self, data: bytes) -> bool:
        try:
            decode_text(data)
        except DocumentError:
            return False
        return True

    def parse(self, data: bytes) -> TextDocument:
        text = decode_text(data)
        return TextDocument(text.splitlines(keepends=True))
