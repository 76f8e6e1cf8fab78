"""gettext PO files: each `msgstr` filled from its `msgid` (plural forms from `msgid` and
`msgid_plural`); header, comments, references and flags kept. printf and brace placeholders
(`%(name)s`, `%d`, `{count}`) and markup are atoms the engine never sees.

The header gets the target's `Language` and its `Plural-Forms` from CLDR (babel), and plural
entries get as many `msgstr[n]` as that rule has forms, so `msgfmt -c` accepts the result. The
file keeps its charset unless that cannot hold the translation (then UTF-8, and the header says
so)."""
from __future__ import annotations

import re

import polib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.inline import Inline, InlineBuilder, render_text, restore

_FORMAT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifcrxXeEgGou%]|\{[^{}\s]*\}|<[^>\n]+>")
_MSGID = re.compile(r"^msgid\s+\"", re.MULTILINE)
_CHARSET = re.compile(rb"charset=([\w.:-]+)")


def plural_rule(target_lang: str) -> tuple[int, str] | None:
    """(number of forms, the Plural-Forms header value) for a BCP 47 language, from CLDR."""
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        rule = get_plural(target_lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return rule.num_plurals, rule.plural_forms


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
            raise DocumentError(_("This PO file cannot be read: %(reason)s"), params={"reason": exc},
                                code="corrupt_document") from None

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

        rule = plural_rule(target_lang) if target_lang else None
        for entry in self._entries(pofile):
            singular = next_text()
            if entry.msgid_plural:
                plural = next_text()
                count = rule[0] if rule else max(len(entry.msgstr_plural), 2)
                # One form only (Chinese, Japanese): it must read right for any n, as the plural does.
                entry.msgstr_plural = {k: plural if (k or count == 1) else singular for k in range(count)}
            else:
                entry.msgstr = singular
        if target_lang:
            pofile.metadata["Language"] = target_lang.replace("-", "_")
        if rule:
            pofile.metadata["Plural-Forms"] = rule[1]
        source = self.source_encoding
        if source is None or source.encoding == "utf-8" or source.encoding.startswith("utf-16"):
            # gettext reads no UTF-16: such a catalogue is written as UTF-8 (a UTF-8 BOM is kept)
            pofile.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            self.notes = []
            return (source.bom if source and source.encoding == "utf-8" else b"") + str(pofile).encode("utf-8")
        if not _CHARSET.search(self.text[:4096].encode("ascii", "replace")) or "CHARSET" in pofile.metadata.get(
                "Content-Type", ""):
            pofile.metadata["Content-Type"] = f"text/plain; charset={source.label}"
        data = self.encode_output(str(pofile))  # the header names the charset the bytes are in
        if not self.output_encoding_kept:
            pofile.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            data = str(pofile).encode("utf-8")
        return data


class PoHandler(DocumentHandler):
    format = "po"
    label = gettext_lazy("gettext PO file")
    extensions = ("po", "pot")
    output = Output("po", "text/x-gettext-translation")
    kept = gettext_lazy("Headers, comments, references, flags, "
                        "contexts and placeholders; plural forms for the target language.")

    def sniff(self, data: bytes) -> bool:
        text = sniff(data, declared=_declared(data))
        return text is not None and bool(_MSGID.search(text))

    def parse(self, data: bytes) -> PoDocument:
        decoded = decode(data, declared=_declared(data))
        document = PoDocument(decoded.text)
        document.source_encoding = decoded
        return document


def _declared(data: bytes) -> str | None:
    """The charset the header names (not the template's placeholder "CHARSET")."""
    match = _CHARSET.search(data[:4096])
    name = match.group(1).decode("ascii") if match else ""
    return name if name and name.upper() != "CHARSET" else None
