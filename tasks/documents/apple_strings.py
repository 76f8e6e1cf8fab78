"""Apple .strings (`"key" = "value";`, also the old-style unquoted keys GNUstep writes): each
value is a message; keys, comments and spacing are copied as they are. Values are read with
their escapes (`\\"`, `\\n`, `\\U2603`) and written back escaped; a file written in ASCII stays
ASCII, the translation's other characters written as `\\U` escapes (as GNUstep's own files do).
UTF-16 files (with or without BOM) stay UTF-16."""
from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentError, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.resource import Message, SpanDocument, protect, worth_translating

_SKIP = re.compile(r"(?:\s+|/\*.*?\*/|//[^\n]*)*", re.DOTALL)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_BARE = re.compile(r"[\w.$/:-]+")
_ASSIGN = re.compile(r"\s*=\s*")
_END = re.compile(r"\s*;")
_ESCAPE = re.compile(r"\\(?:[uU]([0-9a-fA-F]{4})|([0-7]{1,3})|(.))", re.DOTALL)


def unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        if match.group(2):
            return chr(int(match.group(2), 8))
        return {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}.get(
            match.group(3), match.group(3))

    return _ESCAPE.sub(one, raw)


def parse_messages(text: str) -> list[Message]:
    out, pos, n = [], 0, len(text.rstrip("\x00"))
    while True:
        pos = _SKIP.match(text, pos).end()
        if pos >= n:
            return out
        key = _STRING.match(text, pos) or _BARE.match(text, pos)
        assign = _ASSIGN.match(text, key.end()) if key else None
        value = _STRING.match(text, assign.end()) if assign else None
        end = _END.match(text, value.end()) if value else None
        if end is None:
            line = text.count("\n", 0, pos) + 1
            raise DocumentError(_("This .strings file cannot be read: line %(line)d is not a \"key\" = \"value\"; "
                                  "entry."), params={"line": line}, code="corrupt_document")
        message = unescape(value.group(1))
        if worth_translating(message):
            out.append(Message(value.start(1), value.end(1), protect(message)))
        pos = end.end()


class StringsDocument(SpanDocument):
    def __init__(self, text: str, *, unicode_escapes: bool) -> None:
        self.unicode_escapes = unicode_escapes
        self.escape_letter = "u" if re.search(r"\\u[0-9a-fA-F]{4}", text) else "U"  # as the file writes them
        super().__init__(text, parse_messages(text), self._escape)

    def _escape(self, value: str) -> str:
        out = []
        for ch in value:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ch in "\n\t\r":
                out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
            elif self.unicode_escapes and ord(ch) > 0x7F:
                data = ch.encode("utf-16-be")
                units = (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
                out.append("".join(f"\\{self.escape_letter}{unit:04x}" for unit in units))
            else:
                out.append(ch)
        return "".join(out)


class AppleStringsHandler(DocumentHandler):
    format = "apple-strings"
    label = gettext_lazy("Apple strings file")
    extensions = ("strings",)
    output = Output("strings", "text/plain")
    kept = gettext_lazy("Keys, comments, order and layout; placeholders such as %@ and %1$d; the encoding.")

    def sniff(self, data: bytes) -> bool:
        text = sniff(data)
        return text is not None and bool(re.search(r'=\s*"', text[:20000]))

    def parse(self, data: bytes) -> StringsDocument:
        decoded = decode(data)
        text = decoded.text
        document = StringsDocument(text, unicode_escapes=text.isascii())
        document.source_encoding = decoded
        return document
