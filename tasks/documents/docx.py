"""Word (DOCX): body paragraphs, tables (nested too), text boxes, hyperlink text, headers,
footers, footnotes and endnotes, with run formatting carried as placeholders (see ooxml.py).
Field codes, images and revisions are atoms and come back untouched."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from lxml import etree

from tasks.documents import ooxml, zipsafe
from tasks.documents.base import Output
from tasks.documents.office import BILINGUAL_STYLE, GRAPHICS, OfficeDocument, OfficeHandler

_MAIN = ("wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml",
         "wordprocessingml.template.main+xml")
_OTHERS = ("wordprocessingml.header+xml", "wordprocessingml.footer+xml", "wordprocessingml.footnotes+xml",
           "wordprocessingml.endnotes+xml")


def add_bilingual_style(styles: Any) -> None:
    """The paragraph style of the translations in bilingual output: Normal, italic, dark blue."""
    q = ooxml.WORD.q
    if any(s.get(q("styleId")) == BILINGUAL_STYLE for s in styles.iter(q("style"))):
        return
    style = etree.SubElement(styles, q("style"), {q("type"): "paragraph", q("customStyle"): "1",
                                                  q("styleId"): BILINGUAL_STYLE})
    etree.SubElement(style, q("name"), {q("val"): "ZhiYi Translation"})
    etree.SubElement(style, q("basedOn"), {q("val"): "Normal"})
    etree.SubElement(style, q("qFormat"))
    rpr = etree.SubElement(style, q("rPr"))
    etree.SubElement(rpr, q("i"))
    etree.SubElement(rpr, q("color"), {q("val"): "1F4E79"})


class DocxHandler(OfficeHandler):
    format = "docx"
    label = gettext_lazy("Word document")
    extensions = ("docx", "docm")
    output = Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    supports_bilingual = True
    kept = gettext_lazy("Paragraph and run formatting, links, tables, headers and footers, footnotes, "
                        "comments, text boxes, tracked changes, images and charts.")
    main_types = _MAIN

    def parse(self, data: bytes) -> OfficeDocument:
        archive, types = self.open(data)
        main = self.select(types, _MAIN)
        parts = [(name, ooxml.WORD) for name in main + self.select(types, _OTHERS)]
        parts += [(name, ooxml.DRAWING) for name in self.select(types, GRAPHICS)]
        styles = next((n for n, t in types.items() if t.endswith("wordprocessingml.styles+xml")), None)

        def prepare(trees: dict[str, Any], bilingual: bool) -> None:
            if bilingual and styles:
                root = ooxml.parse_xml(zipsafe.read_part(zipsafe.open_zip(data, label=self.label), styles,
                                                         label=self.label), name=styles)
                add_bilingual_style(root)
                trees[styles] = root

        return OfficeDocument(data, label=self.label, parts=parts, prepare=prepare, bilingual_parts=frozenset(main))
