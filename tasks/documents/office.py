"""The zip-package side of DOCX, XLSX and PPTX: find the parts that hold text (by content
type, from `[Content_Types].xml`), turn their paragraphs into segments, and write a package in
which only those parts changed; every other part (images, charts, styles, formulas) is copied
byte for byte."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from lxml import etree

from tasks.documents import ooxml, ooxml_fragments, ooxml_render, zipsafe
from tasks.documents.base import Document, DocumentError, DocumentHandler

CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _natural(name: str) -> list[Any]:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", name)]


def parts_by_type(archive: Any, *, label: str) -> dict[str, str]:
    """Part name (without the leading slash) → content type, for the parts the package holds:
    an override names a part, else the default for its extension applies (some producers give
    even the main part only a default). An override for a part that is not there is ignored."""
    root = ooxml.parse_xml(zipsafe.read_part(archive, "[Content_Types].xml", label=label), name="[Content_Types].xml")
    present = set(archive.namelist())
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{{{CT}}}Default")}
    types = {name: defaults[name.rsplit(".", 1)[-1].lower()] for name in present
             if "." in name and name.rsplit(".", 1)[-1].lower() in defaults}
    for o in root.iter(f"{{{CT}}}Override"):
        name = o.get("PartName", "").lstrip("/")
        if name in present:
            types[name] = o.get("ContentType", "")
    return types


class OfficeDocument(Document):
    """Segments from the text parts, in order; `build` re-reads the package from `data`."""

    def __init__(self, data: bytes, *, label: str, parts: list[tuple[str, ooxml.Dialect]],
                 prepare: Callable[[dict[str, Any], bool], None] | None = None,
                 bilingual_parts: frozenset[str] = frozenset()) -> None:
        self.data = data
        self.label = label
        self.parts = parts
        self.prepare = prepare
        self.bilingual_parts = bilingual_parts
        archive = zipsafe.open_zip(data, label=label)
        zipsafe.verify(archive, label=label)
        segments: list[str] = []
        self.counts: list[int] = []
        for name, dialect in parts:
            raw = zipsafe.read_part(archive, name, label=label)
            dialect = ooxml.dialect_for(raw, dialect)
            matches = ooxml_fragments.fragments(raw, dialect) if dialect.fragments else None
            try:
                found = (ooxml_fragments.segments_of_fragments(matches, dialect) if matches is not None
                         else ooxml.segments_of(ooxml.parse_xml(raw, name=name), dialect))
            except etree.XMLSyntaxError:
                raise DocumentError(_("The document is damaged: its part %(name)s is not valid XML."),
                                    params={"name": name}, code="corrupt_document") from None
            del raw, matches
            self.counts.append(len(found))
            segments.extend(found)
        super().__init__(segments)

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        archive = zipsafe.open_zip(self.data, label=self.label)
        replaced: dict[str, bytes] = {}
        start, self.fallbacks = 0, 0
        for (name, dialect), count in zip(self.parts, self.counts):
            if not count:
                continue
            raw = zipsafe.read_part(archive, name, label=self.label)
            dialect = ooxml.dialect_for(raw, dialect)
            matches = ooxml_fragments.fragments(raw, dialect) if dialect.fragments else None
            if matches is not None:
                replaced[name], used, fallbacks = ooxml_fragments.translate_fragments(raw, matches, dialect, translations,
                                                                            start=start)
            else:
                root = ooxml.parse_xml(raw, name=name)
                style = BILINGUAL_STYLE if bilingual and name in self.bilingual_parts else None
                used, fallbacks = ooxml_render.translate_part(root, dialect, translations, start=start,
                                                              bilingual_style=style)
                replaced[name] = ooxml.serialize(root)  # one tree in memory at a time
                del root
            del raw, matches
            start += used
            self.fallbacks += fallbacks
        if self.prepare:
            trees: dict[str, Any] = {}
            self.prepare(trees, bilingual)  # e.g. add the bilingual paragraph style
            replaced.update((name, ooxml.serialize(root)) for name, root in trees.items())
        if start != len(translations):
            raise DocumentError(_("The document changed between reading and writing."))
        return zipsafe.rewrite_zip(archive, replaced)


BILINGUAL_STYLE = "ZhiYiTranslation"
# Chart titles and axis titles, SmartArt text: DrawingML paragraphs in parts of their own. A
# chart's category labels are a cache of its embedded workbook and stay as they are.
GRAPHICS = ("drawingml.chart+xml", "drawingml.diagramData+xml", "drawingml.diagramDrawing+xml")


class OfficeHandler(DocumentHandler):
    main_types: ClassVar[tuple[str, ...]]  # content type suffixes of the package's main part

    def sniff(self, data: bytes) -> bool:
        return any(zipsafe.looks_like_zip(data, required=t) for t in self.main_types)

    def open(self, data: bytes) -> tuple[Any, dict[str, str]]:
        archive = zipsafe.open_zip(data, label=self.label)
        types = parts_by_type(archive, label=self.label)
        if not self.select(types, self.main_types):
            raise DocumentError(_("This file is not a %(label)s."), params={"label": self.label},
                                code="unsupported_format")
        return archive, types

    @staticmethod
    def select(types: dict[str, str], suffixes: tuple[str, ...]) -> list[str]:
        return sorted((n for n, t in types.items() if t.endswith(suffixes)), key=_natural)
