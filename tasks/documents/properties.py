"""Java .properties: each value is a message, keys and comments are copied as they are.

A value runs to the end of its logical line (a line ending in an odd number of backslashes goes
on, the next line's leading blanks dropped). It is read with the format's escapes (`\\uXXXX`,
`\\t`, `\\n`, `\\=`) and written back on one line: characters the file's encoding cannot hold
become `\\uXXXX` (so an ISO-8859-1 file stays one), and in a MessageFormat message (one with
`{0}`) a new apostrophe is doubled as MessageFormat needs."""
from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.resource import Message, SpanDocument, protect, worth_translating

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(\r\n|\r|\n)[ \t\f]*|(.))", re.DOTALL)
_SEPARATOR = re.compile(r"[ \t\f]*[=:]?[ \t\f]*")
_SINGLE_QUOTE = re.compile(r"(?<!')'(?!')")
_MESSAGE_FORMAT = re.compile(r"\{\d+")


def unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        if match.group(2):
            return ""  # a line continuation
        return {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(match.group(3), match.group(3))

    return _ESCAPE.sub(one, raw)


def logical_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each logical line, its final line break excluded."""
    spans, pos, n = [], 0, len(text)
    while pos < n:
        start = pos
        while True:
            end = pos
            while end < n and text[end] not in "\r\n":
                end += 1
            backslashes = len(text[pos:end]) - len(text[pos:end].rstrip("\\"))
            if backslashes % 2 == 1 and end < n:
                pos = end + (2 if text.startswith("\r\n", end) else 1)
                continue
            spans.append((start, end))
            pos = end + (2 if text.startswith("\r\n", end) else 1)
            break
    return spans


def _key_end(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] not in "=: \t\f":
        if text[pos] == "\\" and text[pos + 1:pos + 2] in ("\r", "\n"):
            pos += 1  # a continuation inside the key: the next line's blanks belong to the key too
            while pos < end and text[pos] in "\r\n \t\f":
                pos += 1
            continue
        pos += 2 if text[pos] == "\\" else 1
    return min(pos, end)


def parse_messages(text: str) -> list[tuple[Message, bool]]:
    """Each value worth translating, with whether it is a MessageFormat pattern."""
    out = []
    for start, end in logical_lines(text):
        line = text[start:end]
        body = line.lstrip(" \t\f")
        if not body or body[0] in "#!":
            continue
        key_start = start + len(line) - len(body)
        key_end = _key_end(text, key_start, end)
        value_start = _SEPARATOR.match(text, key_end, end).end()
        value = unescape(text[value_start:end])
        if worth_translating(value):
            out.append((Message(value_start, end, protect(value)), bool(_MESSAGE_FORMAT.search(value))))
    return out


class PropertiesDocument(SpanDocument):
    def __init__(self, text: str, encoding: str) -> None:
        found = parse_messages(text)
        self.message_format = [mf for _, mf in found]
        self.encoding = encoding
        super().__init__(text, [m for m, _ in found], self._escape)
        self._index = 0

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        self._index = 0
        return super().build(translations, bilingual=bilingual, target_lang=target_lang)

    def _escape(self, value: str) -> str:
        message_format = self.message_format[self._index]
        self._index += 1
        if message_format:
            value = _SINGLE_QUOTE.sub("''", value)
        out = []
        for i, ch in enumerate(value):
            if ch == "\\":
                out.append("\\\\")
            elif ch in "\n\r\t\f":
                out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}[ch])
            elif ch == " " and i == 0:
                out.append("\\ ")
            elif not _encodable(ch, self.encoding):
                out.append("".join(f"\\u{unit:04x}" for unit in _utf16_units(ch)))
            else:
                out.append(ch)
        return "".join(out)


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _utf16_units(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


class PropertiesHandler(DocumentHandler):
    format = "properties"
    label = gettext_lazy("Java properties file")
    extensions = ("properties",)
    output = Output("properties", "text/x-java-properties")
    kept = gettext_lazy("Keys, comments, order and layout; placeholders; the encoding (other characters as \\uXXXX).")

    def sniff(self, data: bytes) -> bool:
        return sniff(data) is not None

    def parse(self, data: bytes) -> PropertiesDocument:
        decoded = decode(data)
        # An ASCII file stays ASCII (Java reads it right as ISO-8859-1 and as UTF-8): what else
        # the translation needs is written escaped.
        encoding = "ascii" if decoded.encoding == "utf-8" and data.isascii() else decoded.encoding
        document = PropertiesDocument(decoded.text, encoding)
        document.source_encoding = decoded
        return document
