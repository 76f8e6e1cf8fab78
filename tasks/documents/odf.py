"""OpenDocument text, spreadsheets and presentations (.odt, .ods, .odp), run by run like DOCX.

Every paragraph and heading (`text:p`, `text:h`) of `content.xml` and `styles.xml` (headers,
footers, master pages), and of embedded objects (`Object 1/content.xml`: charts, embedded
sheets), is a segment: `text:span` (a run with its own style) and `text:a` (a link) are spans
whose text is translated; everything else inside a paragraph (spaces `text:s`, tabs, breaks,
fields and variables, bookmarks, notes, frames with images or text boxes, annotations) is an
atom, and the original element itself is put back where the translation puts it. So a note's
or a text box's own paragraphs, read as segments of their own, stay inside it. A paragraph of a
spreadsheet cell whose value is a number, a date or a formula result is left as it is (its text
is what the value displays); formulas are attributes and never change. Every other part of the
package (pictures, settings, the manifest, `mimetype`, stored first) is copied byte for byte."""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from tasks.documents import zipsafe
from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.inline import Atom, Inline, InlineBuilder, has_letters, restore
from tasks.documents.xmltext import append_text

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_PARAGRAPHS = (f"{{{TEXT}}}p", f"{{{TEXT}}}h")
_SPANS = {f"{{{TEXT}}}span", f"{{{TEXT}}}a"}
_CELL = f"{{{TABLE}}}table-cell"
_TEXT_PARTS = re.compile(r"^(?:[^/]+/)*(?:content|styles)\.xml$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)


def text_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The paragraphs to translate, outer ones before those nested in them (notes, frames)."""
    out = []
    for p in root.iter(*_PARAGRAPHS):
        cell = next(p.iterancestors(_CELL), None)
        if cell is not None and cell.get(f"{{{OFFICE}}}value-type", "string") != "string":
            continue  # a number, date, percentage, currency: the text shows the value
        out.append(p)
    return out


def wrappers(p: etree._Element) -> list[etree._Element]:
    """The spans that hold the whole paragraph (`<p><span>all of it</span></p>`): kept outside
    the segment, so the engine sees plain text."""
    out, element = [], p
    while (not (element.text or "").strip() and len(element) == 1 and element[0].tag in _SPANS
           and not (element[0].tail or "").strip()):
        element = element[0]
        out.append(element)
    return out


def read(p: etree._Element) -> Inline:
    builder = InlineBuilder()

    def walk(element: etree._Element) -> None:
        if element.text:
            builder.text(element.text)
        for child in element:
            if child.tag in _SPANS:
                builder.open(("span", child.tag, dict(child.attrib)))
                walk(child)
                builder.close()
            else:
                builder.atom(child)  # the element itself (moved back on build)
            if child.tail:
                builder.text(child.tail)

    held = wrappers(p)
    walk(held[-1] if held else p)
    return builder.build()


def _write(parent: etree._Element, nodes: list[Any]) -> None:
    for node in nodes:
        if isinstance(node, str):
            append_text(parent, node)
        elif isinstance(node, Atom):
            element = node.payload
            element.tail = None
            parent.append(element)  # moves the original (with any paragraphs inside it)
        else:
            _kind, tag, attrib = node.payload
            _write(etree.SubElement(parent, tag, attrib), node.children)


def _words(inline: Inline) -> bool:
    return has_letters(re.sub(r"</?\d+/?>", "", inline.segment))


def _parse(raw: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
        raise DocumentError(_("The document is damaged: its part %(name)s is not valid XML."), params={"name": name},
                            code="corrupt_document") from None


class OdfDocument(Document):
    def __init__(self, data: bytes, *, label: str) -> None:
        self.data = data
        self.label = label
        archive = zipsafe.open_zip(data, label=label)
        _refuse_encrypted(archive, label)
        zipsafe.verify(archive, label=label)
        self.part_names = [n for n in archive.namelist() if _TEXT_PARTS.match(n)]
        if "content.xml" not in self.part_names:
            raise DocumentError(_("This %(label)s is incomplete: the part %(name)s is missing."),
                                params={"label": label, "name": "content.xml"}, code="corrupt_document")
        # Per part, which paragraphs have words (their atoms are elements of the tree: `build`
        # reads them again from its own, so one tree at a time is in memory).
        self.worded: dict[str, list[bool]] = {}
        segments = []
        for name in self.part_names:
            root = _parse(zipsafe.read_part(archive, name, label=label), name)
            found = [read(p) for p in text_paragraphs(root)]
            self.worded[name] = [_words(i) for i in found]
            segments += [i.segment for i in found if _words(i)]
            del root, found
        super().__init__(segments)

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        archive = zipsafe.open_zip(self.data, label=self.label)
        texts = iter(translations)
        replaced: dict[str, bytes] = {}
        self.fallbacks = 0
        for name in self.part_names:
            worded = self.worded[name]
            if not any(worded):
                continue
            root = _parse(zipsafe.read_part(archive, name, label=self.label), name)
            # Read every paragraph before changing any: moving a note re-parents its paragraphs.
            paragraphs = text_paragraphs(root)
            fresh = [read(p) for p in paragraphs]
            for p, has_words, current in zip(paragraphs, worded, fresh):
                if not has_words:
                    continue
                restored = restore(next(texts), current)
                self.fallbacks += not restored.intact
                held = wrappers(p)
                inner = held[-1] if held else p
                tails = [(w, w.tail) for w in held]
                for child in list(inner):
                    inner.remove(child)
                inner.text = None
                _write(inner, restored.nodes)
                for wrapper, tail in tails:
                    wrapper.tail = tail
            replaced[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return zipsafe.rewrite_zip(archive, replaced)


def _refuse_encrypted(archive: zipfile.ZipFile, label: str) -> None:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise DocumentError(_("This %(label)s is password-protected. Remove the password and upload it again."),
                            params={"label": label}, code="encrypted_document")


class OdfHandler(DocumentHandler):
    mimetype: ClassVar[str]

    def sniff(self, data: bytes) -> bool:
        if not data.startswith(zipsafe.ZIP_MAGIC):
            return False
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            mimetype = archive.read("mimetype").strip()
        except KeyError:
            return False
        except Exception:  # noqa: BLE001 - damaged: parse says so clearly
            return True
        return mimetype.decode("ascii", "replace").startswith(self.mimetype)

    def parse(self, data: bytes) -> OdfDocument:
        return OdfDocument(data, label=str(self.label))


class OdtHandler(OdfHandler):
    format = "odt"
    label = gettext_lazy("OpenDocument text")
    extensions = ("odt",)
    mimetype = "application/vnd.oasis.opendocument.text"
    output = Output("odt", mimetype)
    kept = gettext_lazy("Paragraph and span styles, links, tables, lists, headers and footers, notes, frames, "
                        "images, fields and bookmarks.")


class OdsHandler(OdfHandler):
    format = "ods"
    label = gettext_lazy("OpenDocument spreadsheet")
    extensions = ("ods",)
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    output = Output("ods", mimetype)
    kept = gettext_lazy("Sheets, cell styles, formulas, numbers and dates, merged cells, charts and comments.")


class OdpHandler(OdfHandler):
    format = "odp"
    label = gettext_lazy("OpenDocument presentation")
    extensions = ("odp",)
    mimetype = "application/vnd.oasis.opendocument.presentation"
    output = Output("odp", mimetype)
    kept = gettext_lazy("Slides, layouts, text styles, lists, tables, frames, images, embedded objects and "
                        "speaker notes.")
