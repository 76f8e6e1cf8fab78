"""Office Open XML paragraphs (WordprocessingML, DrawingML, SpreadsheetML rich text) as
segments with their run formatting carried as placeholders.

A paragraph's children are read in order: text runs become text with their run properties,
everything else (images, tabs, fields, revisions, content controls) becomes an atom `<n/>`
that is put back untouched, hyperlinks and tracked insertions are spans `<n>…</n>`. Adjacent
runs whose properties differ only in proofing noise (language, spelling flags) are merged.
The most common formatting is the base and goes untagged, so most paragraphs reach the engine
as plain text. The paragraph is never rebuilt from its plain text: the translation is mapped
back onto copies of the original run properties, and when an engine loses placeholders the
text takes the paragraph's first-run formatting (counted in `fallbacks`).

Parsing is pure (no tree is changed), so `build` re-parses each part and can run twice.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tasks.documents.base import DocumentError
from tasks.documents.inline import Inline, InlineBuilder, Literal, is_atom, restore

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
# Differences in these do not make text look different: runs differing only here are merged.
_NOISE_ATTRS = {"lang", "altLang", "dirty", "err", "smtClean", "smtId", "noProof"}
_NOISE_CHILDREN = {"lang", "noProof", "rtl", "cs", "spellingErr"}


@dataclass(frozen=True)
class Dialect:
    ns: str
    paragraph: str
    head: frozenset[str] = frozenset()  # kept first (paragraph properties)
    tail: frozenset[str] = frozenset()  # kept last (end-of-paragraph run properties, phonetics)
    containers: frozenset[str] = frozenset()  # wrappers whose text is a span (hyperlinks)
    markers: frozenset[str] = frozenset()  # zero-width marks, kept at the paragraph's start
    dropped: frozenset[str] = frozenset()  # stale hints that translation invalidates
    run_dropped: frozenset[str] = frozenset()  # same, inside runs
    fields: bool = False  # WordprocessingML complex fields (fldChar … fldChar)
    bare_text: bool = False  # SpreadsheetML: <si><t>…</t></si> without runs
    fragments: bool = False  # parse only the string elements, not the whole part (see below)

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"


WORD = Dialect(
    ns=W, paragraph="p", head=frozenset({"pPr"}),
    containers=frozenset({"hyperlink", "ins", "smartTag", "moveTo"}),
    markers=frozenset({"bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart",
                       "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"}),
    dropped=frozenset({"proofErr"}), run_dropped=frozenset({"lastRenderedPageBreak"}), fields=True,
)
DRAWING = Dialect(ns=A, paragraph="p", head=frozenset({"pPr"}), tail=frozenset({"endParaRPr"}))
SHEET = Dialect(ns=S, paragraph="si", tail=frozenset({"rPh", "phoneticPr"}), bare_text=True, fragments=True)
SHEET_INLINE = Dialect(ns=S, paragraph="is", tail=frozenset({"rPh", "phoneticPr"}), bare_text=True, fragments=True)


def parse_xml(data: bytes, *, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise DocumentError(f"The document is damaged: its part {name} is not valid XML.",
                            code="corrupt_document") from None


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def local(el: Any) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


@dataclass
class Group:
    """Text with one formatting: run properties to copy, or a container to reuse."""

    props: Any
    key: bytes
    container: Any = None
    text: list[str] = field(default_factory=list)


@dataclass
class Keep:
    """Original elements put back as they are (moved, never copied, in normal output)."""

    elements: list[Any]
    light: bool = False  # a tab or break: worth repeating in a bilingual copy
    is_field: bool = False
    wrap: bool = False  # a piece split out of a text run: rewrapped in a run with `props`
    props: Any = None


@dataclass
class Plan:
    head: list[Any]
    markers: list[Any]
    tail: list[Any]
    items: list[Any]  # Group | Keep, in order
    inline: Inline
    base: Group | None
    first: Group | None
    bare: bool  # SpreadsheetML text without runs


_NOISE_BYTES = (b"lang", b"Lang", b"dirty", b"err", b"smt", b"noProof", b"rtl", b":cs", b"spellingErr")


def _props_key(props: Any) -> bytes:
    if props is None:
        return b""
    raw = etree.tostring(props)
    if not any(noise in raw for noise in _NOISE_BYTES):
        return raw  # the common case: nothing to strip, no copy needed
    clean = copy.deepcopy(props)
    for el in clean.iter():
        for attr in list(el.attrib):
            if etree.QName(attr).localname in _NOISE_ATTRS:
                del el.attrib[attr]
    for child in list(clean):
        if local(child) in _NOISE_CHILDREN:
            clean.remove(child)
    return etree.tostring(clean)


class Analyser:
    """Reads paragraphs of one part in document order (field state carries across them)."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.field_depth = 0

    def _field_events(self, el: Any) -> list[str]:
        if not self.d.fields:
            return []
        return [f.get(self.d.q("fldCharType"), "") for f in el.iter(self.d.q("fldChar"))]

    def plan(self, p: Any) -> Plan | None:
        d = self.d
        head: list[Any] = []
        markers: list[Any] = []
        tail: list[Any] = []
        items: list[Any] = []

        def keep(el: Any, light: bool = False) -> None:
            items.append(Keep([el], light))

        def text(props: Any, value: str, container: Any = None) -> None:
            key = b"container:%d" % id(container) if container is not None else _props_key(props)
            last = items[-1] if items else None
            if isinstance(last, Group) and last.key == key:
                last.text.append(value)
            else:
                items.append(Group(props, key, container, [value]))

        for child in p:
            name = local(child)
            if not name:  # comments, processing instructions
                markers.append(child)
                continue
            if name in d.head:
                head.append(child)
                continue
            if name in d.tail:
                tail.append(child)
                continue
            if name in d.dropped:
                continue
            if name in d.markers:
                markers.append(child)
                continue
            events = self._field_events(child)
            if self.field_depth > 0 or events:
                for event in events:
                    self.field_depth = self.field_depth + 1 if event == "begin" else (
                        max(self.field_depth - 1, 0) if event == "end" else self.field_depth)
                last = items[-1] if items else None
                if isinstance(last, Keep) and last.is_field:
                    last.elements.append(child)
                else:
                    items.append(Keep([child], is_field=True))
                continue
            if d.bare_text and name == "t":
                text(None, child.text or "")
                continue
            if name == "r":
                props = child.find(d.q("rPr"))
                others = [c for c in child if local(c) not in ("rPr", "t") and local(c) not in d.run_dropped]
                if not any(local(c) == "t" for c in child):
                    keep(child)
                    continue
                if not others:
                    text(props, "".join(t.text or "" for t in child.iter(d.q("t"))))
                    continue
                for part in child:  # text mixed with tabs or breaks: split around them
                    pname = local(part)
                    if pname == "t":
                        text(props, part.text or "")
                    elif pname not in ("rPr", *d.run_dropped):
                        items.append(Keep([part], light=pname in ("tab", "br", "cr"), wrap=True, props=props))
                continue
            if name in d.containers:
                texts = list(child.iter(d.q("t")))
                if texts and not list(child.iter(d.q("fldChar"), d.q("instrText"))):
                    first_run = texts[0].getparent()
                    text(first_run.find(d.q("rPr")), "".join(t.text or "" for t in texts), container=child)
                    continue
            keep(child)

        groups = [g for g in items if isinstance(g, Group)]
        if not "".join("".join(g.text) for g in groups).strip():
            return None
        weight: dict[bytes, int] = {}
        for g in groups:
            if g.container is None:
                weight[g.key] = weight.get(g.key, 0) + len("".join(g.text))
        base_key = max(weight, key=lambda k: weight[k]) if weight else None
        base = next((g for g in groups if g.key == base_key), None)
        builder = InlineBuilder()
        for item in items:
            if isinstance(item, Keep):
                builder.atom(item)
            elif item.key == base_key:
                builder.text("".join(item.text))
            else:
                builder.span(item, "".join(item.text))
        bare = d.bare_text and p.find(d.q("r")) is None
        return Plan(head, markers, tail, items, builder.build(), base, groups[0], bare)


def _text_el(d: Dialect, value: str) -> Any:
    t = etree.Element(d.q("t"))
    t.text = value
    if d.ns != A and value != value.strip():
        t.set(XML_SPACE, "preserve")
    return t


def _run(d: Dialect, props: Any, value: str) -> Any:
    run = etree.Element(d.q("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    run.append(_text_el(d, value))
    return run


def _fill_container(d: Dialect, container: Any, value: str, *, duplicate: bool) -> Any:
    el = copy.deepcopy(container) if duplicate else container
    texts = list(el.iter(d.q("t")))
    for extra in texts[1:]:
        extra.getparent().remove(extra)
    texts[0].text = value
    if value != value.strip():
        texts[0].set(XML_SPACE, "preserve")
    return el


def render(d: Dialect, plan: Plan, translation: str, *, duplicate: bool = False) -> tuple[list[Any], bool]:
    """The paragraph's new content children for `translation`, and whether the placeholders
    came back intact. With `duplicate`, originals are copied (a bilingual second paragraph) and
    only light atoms (tabs, breaks) are repeated."""
    restored = restore(translation, plan.inline)
    out: list[Any] = []

    def atom(value: Any) -> None:
        if isinstance(value, Literal):
            return
        if duplicate and not value.light:
            return
        elements = [copy.deepcopy(e) for e in value.elements] if duplicate else value.elements
        if value.wrap:
            run = etree.Element(d.q("r"))
            if value.props is not None:
                run.append(copy.deepcopy(value.props))
            run.extend(elements)
            out.append(run)
        else:
            out.extend(elements)

    if restored.intact:
        for piece in restored.pieces:
            key, value = piece
            if is_atom(piece):
                if isinstance(value, Literal):
                    out.append(_run(d, plan.base.props if plan.base else None, value.text))
                else:
                    atom(value)
            elif key is None:
                out.append(_run(d, plan.base.props if plan.base else None, value))
            elif key.container is not None:
                out.append(_fill_container(d, key.container, value, duplicate=duplicate))
            else:
                out.append(_run(d, key.props, value))
    else:
        first = plan.first
        out.append(_run(d, first.props if first else None, restored.text()))
        for piece in restored.pieces:
            if is_atom(piece):
                atom(piece[1])
    if plan.bare and len(out) == 1 and local(out[0]) == "r" and out[0].find(d.q("rPr")) is None:
        out = [out[0].find(d.q("t"))]
    return out, restored.intact


def replace_content(p: Any, plan: Plan, content: list[Any]) -> None:
    for child in list(p):
        p.remove(child)
    for child in (*plan.head, *plan.markers, *content, *plan.tail):
        p.append(child)


def paragraphs(root: Any, d: Dialect) -> list[Any]:
    return list(root.iter(d.q(d.paragraph)))


def segments_of(root: Any, d: Dialect) -> list[str]:
    analyser = Analyser(d)
    out = []
    for p in paragraphs(root, d):
        plan = analyser.plan(p)
        if plan is not None:
            out.append(plan.inline.segment)
    return out


def _in_text_box(p: Any) -> bool:
    return any(local(a) == "txbxContent" for a in p.iterancestors())


def translate_part(root: Any, d: Dialect, translations: list[str], *, start: int = 0,
                   bilingual_style: str | None = None) -> tuple[int, int]:
    """Rewrite every paragraph of the part in place. Returns (segments used, fallbacks).

    With `bilingual_style` (WordprocessingML), a paragraph outside text boxes stays as it is
    and is followed by its translation in a new paragraph of that style."""
    analyser = Analyser(d)
    index, fallbacks = start, 0
    # One paragraph at a time (planning a paragraph never looks at a later one; a text box's
    # paragraphs move with their drawing and are still found in this list).
    for p in paragraphs(root, d):
        plan = analyser.plan(p)
        if plan is None:
            continue
        if bilingual_style and not _in_text_box(p):
            content, intact = render(d, plan, translations[index], duplicate=True)
            second = etree.Element(d.q("p"))
            ppr = etree.SubElement(second, d.q("pPr"))
            etree.SubElement(ppr, d.q("pStyle")).set(d.q("val"), bilingual_style)
            second.extend(content)
            p.addnext(second)
        else:
            content, intact = render(d, plan, translations[index])
            replace_content(p, plan, content)
        fallbacks += not intact
        index += 1
    return index - start, fallbacks
