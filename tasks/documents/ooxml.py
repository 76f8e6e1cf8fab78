"""Office Open XML paragraphs (WordprocessingML, DrawingML, SpreadsheetML rich text) as
segments with their run formatting carried as placeholders.

A paragraph's children are read in order: text runs become text with their run properties,
everything else (images, tabs, fields, revisions, content controls) becomes an atom `<n/>`
that is put back untouched, hyperlinks and tracked insertions are spans `<n>…</n>`. Adjacent
runs whose properties differ only in proofing noise (language, spelling flags) are merged.
The most common formatting is the base and goes untagged, so most paragraphs reach the engine
as plain text. The paragraph is never rebuilt from its plain text: the translation is mapped
back onto copies of the original run properties (ooxml_render.py); a placeholder the engine
loses costs only its own span (counted in `fallbacks`).

Parsing is pure (no tree is changed), so `build` re-parses each part and can run twice.
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from tasks.documents.base import DocumentError
from tasks.documents.inline import Inline, InlineBuilder, has_letters

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


# ISO/IEC 29500 Strict ("Strict Open XML", as Word can save) spells the namespaces differently;
# the elements are the same.
STRICT = {W: "http://purl.oclc.org/ooxml/wordprocessingml/main", A: "http://purl.oclc.org/ooxml/drawingml/main",
          S: "http://purl.oclc.org/ooxml/spreadsheetml/main"}


def dialect_for(data: bytes, d: Dialect) -> Dialect:
    """`d`, or its Strict twin when the part is written in the Strict namespace."""
    strict = STRICT.get(d.ns)
    if strict and strict.encode() in data[:4096] and d.ns.encode() not in data[:4096]:
        return dataclasses.replace(d, ns=strict)
    return d


def parse_xml(data: bytes, *, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise DocumentError(_("The document is damaged: its part %(name)s is not valid XML."), params={"name": name},
                            code="corrupt_document") from None


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def local(el: Any) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


@dataclass
class Group:
    """Text with one formatting: run properties to copy, or a container (a hyperlink, a
    tracked insertion) whose own runs are `inner` and whose other children stay as they are."""

    props: Any
    key: bytes
    container: Any = None
    text: list[str] = field(default_factory=list)
    inner: list[Any] = field(default_factory=list)  # Group | Keep, inside a container
    consumed: list[Any] = field(default_factory=list)  # the container's children the items stand for

    def plain(self) -> str:
        return "".join(self.text) if self.container is None else "".join(i.plain() for i in self.inner
                                                                        if isinstance(i, Group))


@dataclass
class Keep:
    """Original elements put back as they are (moved, never copied, in normal output)."""

    elements: list[Any]
    light: bool = False  # a tab or break: worth repeating in a bilingual copy
    is_field: bool = False
    wrap: bool = False  # a piece split out of a text run: rewrapped in a run with `props`
    props: Any = None
    text: str | None = None  # a symbol-only run: its text, in a new run with `props`

    def plain(self) -> str:
        return ""


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


def dominant(items: list[Any]) -> bytes | None:
    """The formatting most of the text has: it goes to the engine untagged."""
    weight: dict[bytes, int] = {}
    for g in items:
        if isinstance(g, Group) and g.container is None:
            weight[g.key] = weight.get(g.key, 0) + len("".join(g.text))
    return max(weight, key=lambda k: weight[k]) if weight else None


class Analyser:
    """Reads paragraphs of one part in document order (field state carries across them)."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.field_depth = 0

    def _field_events(self, el: Any) -> list[str]:
        if not self.d.fields:
            return []
        return [f.get(self.d.q("fldCharType"), "") for f in el.iter(self.d.q("fldChar"))]

    def _collect(self, children: Any, items: list[Any], consumed: list[Any], outer: dict[str, list[Any]] | None) -> None:
        """Sort `children` into text groups and kept elements. At the paragraph level `outer`
        takes its properties, markers and tail; inside a container they stay in the container."""
        d = self.d

        def text(props: Any, value: str) -> None:
            key = _props_key(props)
            last = items[-1] if items else None
            if isinstance(last, Group) and last.container is None and last.key == key:
                last.text.append(value)
            else:
                items.append(Group(props, key, None, [value]))

        for child in children:
            name = local(child)
            if outer is not None:
                if not name:  # comments, processing instructions
                    outer["markers"].append(child)
                    continue
                if name in d.head:
                    outer["head"].append(child)
                    continue
                if name in d.tail:
                    outer["tail"].append(child)
                    continue
                if name in d.dropped:
                    continue
                if name in d.markers:
                    outer["markers"].append(child)
                    continue
            elif not name or name in d.markers or name in d.dropped:
                continue  # stays in its container
            consumed.append(child)
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
                    items.append(Keep([child]))
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
            if name in d.containers and list(child.iter(d.q("t"))) and not list(
                    child.iter(d.q("fldChar"), d.q("instrText"))):
                group = Group(None, b"container:%d" % id(child), child)
                self._collect(child, group.inner, group.consumed, None)
                items.append(group)
                continue
            items.append(Keep([child]))

    def plan(self, p: Any) -> Plan | None:
        d = self.d
        outer: dict[str, list[Any]] = {"head": [], "markers": [], "tail": []}
        items: list[Any] = []
        self._collect(p, items, [], outer)
        if not "".join(i.plain() for i in items).strip():
            return None
        base_key = dominant(items)
        builder = InlineBuilder()
        _build(builder, items, base_key)
        groups = [g for g in items if isinstance(g, Group)]
        base = next((g for g in groups if g.container is None and g.key == base_key), None)
        first = next((g for g in groups if g.container is None), None)
        bare = d.bare_text and p.find(d.q("r")) is None
        return Plan(outer["head"], outer["markers"], outer["tail"], items, builder.build(), base, first, bare)


def _build(builder: InlineBuilder, items: list[Any], base_key: bytes | None) -> None:
    """Text of the base formatting goes untagged, other formatting as spans, containers as
    spans around their own runs. What has no letters (a space, a symbol, a number in its own
    formatting) is an atom: the engine has nothing to translate there and may drop it."""
    for item in items:
        if isinstance(item, Keep):
            builder.atom(item)
        elif not has_letters(item.plain()):
            if item.container is not None:
                builder.atom(Keep([item.container]))
            elif item.key == base_key:
                builder.text("".join(item.text))
            else:
                builder.atom(Keep([], light=True, wrap=True, props=item.props, text="".join(item.text)))
        elif item.container is not None:
            builder.open(item)
            _build(builder, item.inner, dominant(item.inner))
            builder.close()
        elif item.key == base_key:
            builder.text("".join(item.text))
        else:
            builder.span(item, "".join(item.text))


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
