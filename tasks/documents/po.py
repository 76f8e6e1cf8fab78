"""gettext PO files: each `msgstr` filled from its `msgid` (plural forms from `msgid` and
`msgid_plural`); header, comments, references and flags kept. printf and brace placeholders
(`%(name)s`, `%d`, `{count}`) and markup are atoms the engine never sees."""
from __future__ import annotations

import re

import polib

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.inline import Inline, InlineBuilder, render_text, restore
from tasks.documents.txt import decode_text, try_decode

_FORMAT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifcrxXeEgGou%]|\{[^{}\s]*\}|<[^>\n]+>")
_MSGID = re.compile(r"^msgid\s+\"", re.MULTILINE)


def protect(text: str) -> Inline:
    builder = InlineBuilder()
    last = 0
    for match in _FORMAT.finditer(text):
        builder.text(text[last:match.start()])
        builder.atom(match.group(0))
        last = match.end()
    builder.text(text[last:])
    return builder.build()


class PoDocument(Document):
    def __init__(self, text: str) -> None:
        self.text = text
        self.pofile = self._load()
        self.inlines = []
        for entry in self._entries(self.pofile):
            self.inlines.append(protect(entry.msgid))
            if entry.msgid_plural:
                self.inlines.append(protect(entry.msgid_plural))
        super().__init__([i.segment for i in self.inlines])

    def _load(self) -> polib.POFile:
        try:
            return polib.pofile(self.text, wrapwidth=0)
        except (OSError, ValueError) as exc:
            raise DocumentError(f"This PO file cannot be read: {exc}", code="corrupt_document") from None

    @staticmethod
    def _entries(pofile: polib.POFile) -> list[polib.POEntry]:
        return [e for e in pofile if e.msgid and not e.obsolete]

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        pofile = self._load()  # a fresh copy: build may run more than once
        self.fallbacks = 0
        texts = iter(zip(self.inlines, translations))

        def next_text() -> str:
            inline, translated = next(texts)
            restored = restore(translated, inline)
            self.fallbacks += not restored.intact
            return render_text(restored, atom=str, span=lambda _p, t: t)

        for entry in self._entries(pofile):
            singular = next_text()
            if entry.msgid_plural:
                plural = next_text()
                forms = sorted(entry.msgstr_plural) or [0, 1]
                entry.msgstr_plural = {k: singular if k == 0 else plural for k in forms}
            else:
                entry.msgstr = singular
        pofile.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        if target_lang:
            pofile.metadata["Language"] = target_lang.replace("-", "_")
        return str(pofile).encode("utf-8")


class PoHandler(DocumentHandler):
    format = "po"
    label = "gettext PO file"
    extensions = ("po", "pot")
    output = Output("po", "text/x-gettext-translation; charset=utf-8")

    def sniff(self, data: bytes) -> bool:
        text = try_decode(data)
        return text is not None and bool(_MSGID.search(text))

    def parse(self, data: bytes) -> PoDocument:
        return PoDocument(decode_text(data))
