"""Plain text: decoded from the common encodings, line structure kept, written as UTF-8."""
from __future__ import annotations

import codecs

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output

# Order: BOMs first, then strict UTF-8, then the CJK legacy encodings.
# GB18030 accepts almost any byte pairs, so Big5 text also "decodes" as GB18030 (into kana,
# Cyrillic and rare characters). The frequent characters, in both scripts, tell them apart.
_COMMON = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
    "這個們來為國說時會對於著過發後裡種經麼學現當沒動還進樣"
)


def _common_count(text: str) -> int:
    return sum(ch in _COMMON for ch in text)


def _decode_legacy(data: bytes) -> str | None:
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return None
    return max(candidates, key=_common_count)  # max keeps the first (GB18030) on a tie


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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode_legacy(data)
    if text is not None:
        return text
    raise DocumentError(
        "The text could not be decoded (tried UTF-8, UTF-16, GB18030 and Big5).", code="undecodable_text"
    )


def try_decode(data: bytes) -> str | None:
    """The text, or None when the bytes are not text in any encoding we read (for sniffing)."""
    try:
        return decode_text(data)
    except DocumentError:
        return None


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
        return "".join(out).encode("utf-8")


class TextHandler(DocumentHandler):
    format = "txt"
    label = "Plain text"
    extensions = ("txt", "text")
    output = Output("txt", "text/plain; charset=utf-8")
    supports_bilingual = True

    def sniff(self, data: bytes) -> bool:
        return try_decode(data) is not None

    def parse(self, data: bytes) -> TextDocument:
        text = decode_text(data)
        return TextDocument(text.splitlines(keepends=True))
