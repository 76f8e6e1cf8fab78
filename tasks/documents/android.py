"""Android `strings.xml`: `<string>`, `<string-array>` items and `<plurals>` items are messages;
names, comments, `translatable="false"` entries and resource references (`@string/other`) are
left as they are. Inline markup (`<b>`, `<i>`, `<a href>`) becomes spans, `<xliff:g>` (text
marked as not to be translated), entities and `\\n` escapes atoms, printf arguments atoms.
A CDATA value (HTML for `Html.fromHtml`) keeps its tags as atoms and stays CDATA. Apostrophes
and quotes in a translation are escaped as aapt needs (`\\'`, `\\"`)."""
from __future__ import annotations

import copy
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.inline import Atom, Inline, restore
from tasks.documents.resource import _SIMPLE, _Pieces
from tasks.documents.xmltext import append_text

_TOKEN = re.compile(r"\\[ntr]|\\u[0-9a-fA-F]{4}|\\(.)|\"|" + _SIMPLE.pattern, re.DOTALL)
_XLIFF_G = "{urn:oasis:names:tc:xliff:document:1.2}g"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, strip_cdata=False, no_network=True, huge_tree=False,
                           remove_blank_text=False)


def _load(data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(_("This strings.xml file cannot be read: %(reason)s"), params={"reason": exc},
                            code="corrupt_document") from None
    if root.tag != "resources":
        raise DocumentError(_("This is not an Android resource file (no <resources> root)."),
                            code="corrupt_document")
    return root


def units(root: etree._Element) -> list[etree._Element]:
    out = []
    for element in root:
        if not isinstance(element.tag, str) or element.get("translatable") == "false":
            continue
        if element.tag == "string":
            out.append(element)
        elif element.tag in ("string-array", "plurals"):
            out += [item for item in element if item.tag == "item"]
    return [u for u in out if _words(u)]


def _words(element: etree._Element) -> bool:
    text = "".join(element.itertext()).strip()
    return bool(re.search(r"[^\W\d_]", re.sub(r"%\S+", "", text))) and not re.match(r"^[@?][\w:]+/\S+$", text)


def _is_cdata(element: etree._Element) -> bool:
    return b"<![CDATA[" in etree.tostring(element, with_tail=False)


class _Reader:
    """An element's content as pieces: text with Android escapes read, markup as spans."""

    def __init__(self) -> None:
        self.pieces = _Pieces()

    def text(self, text: str) -> None:
        last = 0
        for match in _TOKEN.finditer(text):
            self.pieces.text(text[last:match.start()])
            if match.group(1) is not None:
                self.pieces.text(match.group(1))  # \' \" \@ \? \\ : the character itself
            else:
                self.pieces.atom(match.group(0))
            last = match.end()
        self.pieces.text(text[last:])

    def children(self, element: etree._Element) -> None:
        for child in element:
            if isinstance(child, etree._Entity):
                self.pieces.flush()
                self.pieces.builder.atom(("entity", child.name))
            elif not isinstance(child.tag, str) or child.tag == _XLIFF_G or not len(child) and not child.text:
                self.pieces.flush()
                self.pieces.builder.atom(("element", child))
            else:
                self.pieces.flush()
                self.pieces.builder.open(("span", child.tag, dict(child.attrib)))
                self.text(child.text or "")
                self.children(child)
                self.pieces.flush()
                self.pieces.builder.close()
            self.text(child.tail or "")


def read_unit(element: etree._Element) -> tuple[Inline, str, str]:
    """The unit's segment, and the blanks around its content (kept out of the engine's way)."""
    if len(element):
        first, last = element.text or "", element[-1].tail or ""
    else:
        first = last = element.text or ""
    lead = first[:len(first) - len(first.lstrip())]
    trail = last[len(last.rstrip()):] if last.strip() or len(element) else ""
    reader = _Reader()
    if len(element):
        reader.text((element.text or "")[len(lead):])
        reader.children(element)
        element_tail = element[-1].tail or ""
        del element_tail  # the last tail's trailing blanks are dropped below
    else:
        text = element.text or ""
        reader.text(text[len(lead):len(text) - len(trail)] if trail else text[len(lead):])
    inline = reader.pieces.build()
    if len(element) and trail:
        inline.segment = inline.segment[:len(inline.segment) - len(trail)] if inline.segment.endswith(trail) \
            else inline.segment
    return inline, lead, trail


def _escape(text: str, at_start: bool) -> str:
    text = text.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"')
    if at_start and text[:1] in ("@", "?"):
        text = "\\" + text
    return text


class _Writer:
    def __init__(self, element: etree._Element, cdata: bool) -> None:
        self.element = element
        self.cdata = cdata
        self.buffer: list[str] = []
        self.started = False

    def add_text(self, parent: etree._Element, text: str) -> None:
        if not text:
            return
        if self.cdata:
            self.buffer.append(text)
        else:
            append_text(parent, text)

    def nodes(self, parent: etree._Element, nodes: list[Any]) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.add_text(parent, _escape(node, not self.started))
            elif isinstance(node, Atom):
                payload = node.payload
                if isinstance(payload, str):
                    self.add_text(parent, payload)
                elif payload[0] == "entity":
                    parent.append(etree.Entity(payload[1]))
                else:
                    piece = copy.deepcopy(payload[1])
                    piece.tail = None
                    parent.append(piece)
            else:
                _kind, tag, attrib = node.payload
                child = etree.SubElement(parent, tag, attrib)
                self.nodes(child, node.children)
            self.started = True


class AndroidDocument(Document):
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.units = []
        for element in units(_load(data)):
            self.units.append(read_unit(element))
        super().__init__([inline.segment for inline, _lead, _trail in self.units])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        root = _load(self.data)
        self.fallbacks = 0
        for element, (inline, lead, trail), translated in zip(units(root), self.units, translations):
            restored = restore(translated, inline)
            self.fallbacks += not restored.intact
            cdata = _is_cdata(element)
            for child in list(element):
                element.remove(child)
            element.text = None
            writer = _Writer(element, cdata)
            writer.add_text(element, lead)
            writer.nodes(element, restored.nodes)
            writer.add_text(element, trail)
            if cdata:
                element.text = etree.CDATA("".join(writer.buffer))
        # The prolog (declaration, DOCTYPE with its entities, comments) and what follows the root
        # are copied from the original: lxml would rewrite the internal subset.
        encoding = root.getroottree().docinfo.encoding or "utf-8"
        start = re.search(rb"<resources[\s>/]", self.data)
        end = self.data.rfind(b"</resources>")
        head = self.data[:start.start()] if start else b""
        tail = self.data[end + len(b"</resources>"):] if end >= 0 else b""
        return head + etree.tostring(root, encoding=encoding, xml_declaration=False, with_tail=False) + tail


class AndroidStringsHandler(DocumentHandler):
    format = "android-xml"
    label = gettext_lazy("Android strings.xml")
    extensions = ("xml",)
    output = Output("xml", "application/xml")
    kept = gettext_lazy("Names, comments, entries marked translatable=\"false\", plurals and string arrays, "
                        "inline markup, CDATA and format arguments.")

    def sniff(self, data: bytes) -> bool:
        return bool(re.search(rb"<resources[\s>]", data[:4096]))

    def parse(self, data: bytes) -> AndroidDocument:
        return AndroidDocument(data)
