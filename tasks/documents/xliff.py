"""XLIFF 1.2 (and 1.1, and SDL Trados' `.sdlxliff`) and XLIFF 2.x: every unit's target filled
from its source, the rest of the file (notes, skeletons, contexts, alternatives, tool data)
copied as it is.

Inline codes are placeholders: the ones that stand alone or mark code (`<x/>`, `<bx/>`, `<ex/>`,
`<ph>`, `<bpt>`/`<ept>`, `<it>`; 2.x `<ph/>`, `<sc/>`/`<ec/>`, `<sm/>`/`<em/>`, `<cp/>`) and
protected markers (`<mrk mtype="protected">`, 2.x `<mrk translate="no">`) are atoms copied into
the target; the ones that wrap text (`<g>`, `<mrk>`, 2.x `<pc>`, `<mrk>`) are spans whose text is
translated. printf and brace placeholders in the text are atoms too.

1.2: a unit marked `translate="no"` (itself or its group) is skipped; a translated unit's
`<target>` gets `state="translated"` and the `<file>` the target language; a unit segmented in
`<seg-source>` (Trados) gets a target with the same `<mrk mtype="seg">` segments. 2.x: each
`<segment>` of a translatable unit gets its `<target>` and `state="translated"`, the root
`trgLang`. A unit without words (only codes) gets its source copied as target."""
from __future__ import annotations

import copy
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.inline import Atom, Inline, has_letters, restore
from tasks.documents.resource import _SIMPLE, _Pieces
from tasks.documents.xmltext import append_text

XLIFF1 = re.compile(r"^\{urn:oasis:names:tc:xliff:document:1\.[0-2]\}xliff$")
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATOMS_1 = {"x", "bx", "ex", "ph", "bpt", "ept", "it"}
_SPANS_1 = {"g", "mrk"}
_ATOMS_2 = {"ph", "sc", "ec", "sm", "em", "cp"}
_SPANS_2 = {"pc", "mrk"}


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def load(data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(_("This XLIFF file cannot be read: %(reason)s"), params={"reason": exc},
                            code="corrupt_document") from None
    if not (XLIFF1.match(root.tag) or root.tag == f"{{{XLIFF2_NS}}}xliff"):
        raise DocumentError(_("This is not an XLIFF 1.x or 2.x file (its root is %(root)s)."),
                            params={"root": _local(root.tag) or "?"}, code="corrupt_document")
    return root


def _translatable(element: etree._Element) -> bool:
    """translate="no" on the element or an ancestor (group, file) keeps it out."""
    node: etree._Element | None = element
    while node is not None:
        if node.get("translate") == "no":
            return False
        node = node.getparent()
    return True


class Slot:
    """Where one segment's translation goes: `source` is read, `target` written."""

    def __init__(self, source: etree._Element, make_target: Any, mark: Any = None) -> None:
        self.source = source
        self.make_target = make_target  # () -> the (emptied) element the translation fills
        self.mark = mark  # () -> None: sets the state once the target is written


def slots(root: etree._Element) -> list[Slot]:
    if root.tag == f"{{{XLIFF2_NS}}}xliff":
        return _slots_2(root)
    return _slots_1(root)


def _slots_1(root: etree._Element) -> list[Slot]:
    ns = etree.QName(root).namespace
    out = []
    for unit in root.iter(f"{{{ns}}}trans-unit"):
        if not _translatable(unit) or unit.get("restype") == "x-gettext-domain-header":
            continue  # (a PO catalogue's header, as translate-toolkit's po2xliff writes it)
        source = unit.find(f"{{{ns}}}source")
        if _empty(source):
            continue
        seg_source = unit.find(f"{{{ns}}}seg-source")
        target = unit.find(f"{{{ns}}}target")
        if target is None:
            target = _new_target(seg_source if seg_source is not None else source, f"{{{ns}}}target")
        marks = [] if seg_source is None else list(seg_source.iter(f"{{{ns}}}mrk"))
        segments = [m for m in marks if m.get("mtype") == "seg"]

        def mark(target: etree._Element = target) -> None:
            target.set("state", "translated")

        if segments:
            # The target mirrors seg-source: the same text between segments, each mrk filled.
            skeleton = copy.deepcopy(seg_source)
            for child in list(target):
                target.remove(child)
            target.text = skeleton.text
            for child in skeleton:
                target.append(child)
            mirrored = [m for m in target.iter(f"{{{ns}}}mrk") if m.get("mtype") == "seg"]
            for original, copied in zip(segments, mirrored):
                out.append(Slot(original, (lambda m=copied: _emptied(m)), mark))
        else:
            out.append(Slot(source, (lambda t=target: _emptied(t)), mark))
    return out


def _slots_2(root: etree._Element) -> list[Slot]:
    ns = XLIFF2_NS
    out = []
    for unit in root.iter(f"{{{ns}}}unit"):
        if not _translatable(unit):
            continue
        for segment in unit.iter(f"{{{ns}}}segment"):
            source = segment.find(f"{{{ns}}}source")
            if _empty(source):
                continue
            target = segment.find(f"{{{ns}}}target")
            if target is None:
                target = _new_target(source, f"{{{ns}}}target")
            if source.get(f"{{{XML_NS}}}space"):
                target.set(f"{{{XML_NS}}}space", source.get(f"{{{XML_NS}}}space"))

            def mark(segment: etree._Element = segment) -> None:
                segment.set("state", "translated")

            out.append(Slot(source, (lambda t=target: _emptied(t)), mark))
    return out


def _empty(source: etree._Element | None) -> bool:
    return source is None or (not (source.text or "").strip() and not len(source))


def _new_target(after: etree._Element, tag: str) -> etree._Element:
    """A target right after `after`, indented as it is."""
    target = etree.Element(tag)
    previous = after.getprevious()
    indent = previous.tail if previous is not None else after.getparent().text
    target.tail = after.tail
    after.tail = indent if indent is not None and not indent.strip() else after.tail
    after.addnext(target)
    return target


def _emptied(element: etree._Element) -> etree._Element:
    for child in list(element):
        element.remove(child)
    element.text = None
    return element


class _Reader:
    def __init__(self, version: int) -> None:
        self.pieces = _Pieces()
        self.atoms, self.spans = (_ATOMS_2, _SPANS_2) if version == 2 else (_ATOMS_1, _SPANS_1)

    def text(self, text: str) -> None:
        last = 0
        for match in _SIMPLE.finditer(text):
            self.pieces.text(text[last:match.start()])
            self.pieces.atom(match.group(0))
            last = match.end()
        self.pieces.text(text[last:])

    def children(self, element: etree._Element) -> None:
        for child in element:
            name = _local(child.tag)
            protected = child.get("mtype") == "protected" or child.get("translate") == "no"
            self.pieces.flush()
            if name in self.spans and not protected:
                self.pieces.builder.open(("span", child))
                self.text(child.text or "")
                self.children(child)
                self.pieces.flush()
                self.pieces.builder.close()
            else:  # codes, protected text, comments, anything unknown: kept as they are
                self.pieces.builder.atom(("element", child))
            self.text(child.tail or "")


def read(source: etree._Element, version: int) -> tuple[Inline, str, str]:
    """The segment, and the blanks around the content (kept out of the engine's way)."""
    reader = _Reader(version)
    first = source.text or ""
    last = (source[-1].tail or "") if len(source) else first
    lead = first[:len(first) - len(first.lstrip())]
    trail = last[len(last.rstrip()):] if last.strip() else ""
    if not len(source):
        reader.text(first[len(lead):len(first) - len(trail)] if first.strip() else "")
    else:
        reader.text(first[len(lead):])
        source[-1].tail, saved = last[:len(last) - len(trail)], source[-1].tail
        reader.children(source)
        source[-1].tail = saved
    return reader.pieces.build(), lead if first.strip() or len(source) else first, trail


def _write(parent: etree._Element, nodes: list[Any]) -> None:
    for node in nodes:
        if isinstance(node, str):
            append_text(parent, node)
        elif isinstance(node, Atom):
            payload = node.payload
            if isinstance(payload, str):
                append_text(parent, payload)
            else:
                piece = copy.deepcopy(payload[1])
                piece.tail = None
                parent.append(piece)
        else:
            original = node.payload[1]
            child = etree.SubElement(parent, original.tag, dict(original.attrib))
            _write(child, node.children)


class XliffDocument(Document):
    def __init__(self, data: bytes) -> None:
        self.data = data
        root = load(data)
        self.version = 2 if root.tag == f"{{{XLIFF2_NS}}}xliff" else 1
        # Only which units have words: the inlines (whose atoms are elements of this tree) are read
        # again from the tree `build` loads, so one tree at a time is in memory.
        self.worded: list[bool] = []
        segments = []
        for slot in slots(root):
            inline = read(slot.source, self.version)[0]
            self.worded.append(has_letters(re.sub(r"<\d+/?>|</\d+>", "", inline.segment)))
            if self.worded[-1]:
                segments.append(inline.segment)
        del root
        super().__init__(segments)

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        root = load(self.data)
        self.fallbacks = 0
        texts = iter(translations)
        for slot, worded in zip(slots(root), self.worded):
            target = slot.make_target()
            if not worded:  # only codes: the source is its own translation
                target.text = slot.source.text
                for child in slot.source:
                    target.append(copy.deepcopy(child))
            else:
                inline, lead, trail = read(slot.source, self.version)
                restored = restore(next(texts), inline)
                self.fallbacks += not restored.intact
                append_text(target, lead)
                _write(target, restored.nodes)
                append_text(target, trail)
            slot.mark()
        if target_lang:
            self._set_language(root, target_lang)
        # The prolog and what follows the root are copied from the original.
        start = re.search(rb"<(?:\w+:)?xliff[\s>]", self.data)
        closes = list(re.finditer(rb"</(?:\w+:)?xliff\s*>", self.data))
        head = self.data[:start.start()] if start else b""
        tail = self.data[closes[-1].end():] if closes else b""
        encoding = root.getroottree().docinfo.encoding or "utf-8"
        return head + etree.tostring(root, encoding=encoding, xml_declaration=False, with_tail=False) + tail

    def _set_language(self, root: etree._Element, target_lang: str) -> None:
        if self.version == 2:
            root.set("trgLang", target_lang)
            return
        ns = etree.QName(root).namespace
        for file in root.iter(f"{{{ns}}}file"):
            file.set("target-language", target_lang)


class XliffHandler(DocumentHandler):
    format = "xliff"
    label = gettext_lazy("XLIFF file")
    extensions = ("xlf", "xliff", "sdlxliff", "poxliff")  # .poxliff: translate-toolkit's PO as XLIFF
    output = Output("xlf", "application/xliff+xml")
    kept = gettext_lazy("Units, ids, notes, skeletons, contexts and inline codes (as placeholders); units marked "
                        "translate=\"no\" untouched; targets marked translated.")

    def sniff(self, data: bytes) -> bool:
        return bool(re.search(rb"<(?:\w+:)?xliff[\s>]", data[:4096]))

    def parse(self, data: bytes) -> XliffDocument:
        return XliffDocument(data)
