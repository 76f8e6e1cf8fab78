"""EPUB 2 and 3: every XHTML content document of the manifest (the EPUB 3 navigation document
among them) through the HTML handler, the NCX's titles and labels (`docTitle`, `navLabel`), and
the package's `dc:title` and `dc:description`. `dc:language`, and `xml:lang`/`lang` on each
document, the package and the NCX, become the target's. Authors, identifiers, dates, styles,
fonts and images are copied byte for byte.

The archive is rebuilt valid: `mimetype` first and stored (an input that had it elsewhere is
put right), every other entry in its order with its compression. A package whose container or
spine points at nothing is refused as damaged; one with DRM (an `encryption.xml` naming
anything but font obfuscation) as encrypted."""
from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from tasks.documents import zipsafe
from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.html import HtmlHandler
from tasks.documents.inline import InlineBuilder, has_letters
from tasks.documents.resource import Message, SpanDocument

OPF = "http://www.idpf.org/2007/opf"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
MIMETYPE = b"application/epub+zip"
_XHTML_TYPES = ("application/xhtml+xml", "text/html")
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_OPF_TEXT = re.compile(r"(<(?:\w+:)?(?:title|description)\b[^>]*>)([^<]*)(</(?:\w+:)?(?:title|description)\s*>)")
_OPF_LANGUAGE = re.compile(r"(<(?:\w+:)?language\b[^>]*>)\s*([^<\s]*)\s*(</(?:\w+:)?language\s*>)")
_NCX_TEXT = re.compile(r"(<(?:docTitle|navLabel|navInfo)\b[^>]*>\s*<text\b[^>]*>)([^<]*)(</text>)")
_XML_LANG = re.compile(r"""\bxml:lang\s*=\s*(["'])([^"']*)\1""")
_ROOT_TAG = re.compile(r"<(?:\w+:)?(?:html|package|ncx)\b[^>]*>")


def _plain(text: str) -> Any:
    builder = InlineBuilder()
    builder.text(text)
    return builder.build()


class _XmlText(SpanDocument):
    """A package document or an NCX: the texts `pattern` finds, the language where it is said."""

    def __init__(self, text: str, pattern: re.Pattern[str], language: re.Pattern[str] | None) -> None:
        messages = []
        for match in pattern.finditer(text):
            value = html.unescape(match.group(2)).strip()
            if has_letters(value):
                lead = len(match.group(2)) - len(match.group(2).lstrip())
                trail = len(match.group(2)) - len(match.group(2).rstrip())
                messages.append(Message(match.start(2) + lead, match.end(2) - trail, _plain(value)))
        languages = [m.span(2) for m in language.finditer(text)] if language else []
        root = _ROOT_TAG.search(text)
        if root:
            languages += [(root.start() + m.start(2), root.start() + m.end(2)) for m in _XML_LANG.finditer(root.group(0))]
        super().__init__(text, messages, lambda value: html.escape(value, quote=True), languages)


def _set_xml_lang(data: bytes, target_lang: str) -> bytes:
    """`xml:lang` on an XHTML document's `<html>`: replaced, or added (XHTML 1.1, which EPUB 2
    uses, knows no `lang`)."""
    text = data.decode("utf-8", "surrogateescape")
    root = re.search(r"<(?:\w+:)?html\b[^>]*>", text)
    if not root:
        return data
    tag = root.group(0)
    if _XML_LANG.search(tag):
        tag = _XML_LANG.sub(lambda m: f"xml:lang={m.group(1)}{target_lang}{m.group(1)}", tag, count=1)
    else:
        end = len(tag) - (2 if tag.endswith("/>") else 1)
        tag = f'{tag[:end]} xml:lang="{target_lang}"{tag[end:]}'
    return (text[:root.start()] + tag + text[root.end():]).encode("utf-8", "surrogateescape")


def _xml(archive: zipfile.ZipFile, name: str, label: str) -> etree._Element:
    try:
        return etree.fromstring(zipsafe.read_part(archive, name, label=label), _PARSER)
    except etree.XMLSyntaxError:
        raise DocumentError(_("The document is damaged: its part %(name)s is not valid XML."), params={"name": name},
                            code="corrupt_document") from None


def package_parts(archive: zipfile.ZipFile, label: str) -> tuple[str, list[str], str | None, int]:
    """(the package document, its XHTML documents in manifest order, its NCX or None, the
    EPUB version: 2 or 3)."""
    if "META-INF/encryption.xml" in archive.namelist():
        algorithms = re.findall(rb'Algorithm="([^"]+)"', archive.read("META-INF/encryption.xml"))
        if any(a.decode("ascii", "replace") not in _FONT_OBFUSCATION for a in algorithms):
            raise DocumentError(_("This EPUB is protected by DRM and cannot be translated."),
                                code="encrypted_document")
    container = _xml(archive, "META-INF/container.xml", label)
    rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
    opf_name = rootfile.get("full-path", "") if rootfile is not None else ""
    if opf_name not in archive.namelist():
        raise DocumentError(_("This EPUB is damaged: its container names no package document it holds."),
                            code="corrupt_document")
    opf = _xml(archive, opf_name, label)
    base = posixpath.dirname(opf_name)
    items = {i.get("id"): i for i in opf.iter(f"{{{OPF}}}item")}
    missing = [r.get("idref") for r in opf.iter(f"{{{OPF}}}itemref") if r.get("idref") not in items]
    if missing:
        raise DocumentError(_("This EPUB is damaged: its spine names %(item)s, which its manifest does not list."),
                            params={"item": missing[0]}, code="corrupt_document")
    names = set(archive.namelist())

    def path(item: Any) -> str:
        return posixpath.normpath(posixpath.join(base, item.get("href", "")))

    documents = [path(i) for i in items.values() if i.get("media-type") in _XHTML_TYPES and path(i) in names]
    ncx = next((path(i) for i in items.values() if i.get("media-type") == "application/x-dtbncx+xml"
                and path(i) in names), None)
    return opf_name, documents, ncx, 3 if opf.get("version", "").startswith("3") else 2


class EpubDocument(Document):
    def __init__(self, data: bytes, *, label: str) -> None:
        self.data = data
        self.label = label
        archive = zipsafe.open_zip(data, label=label)
        zipsafe.verify(archive, label=label)
        opf, documents, ncx, self.version = package_parts(archive, label)
        self.parts: list[tuple[str, Document]] = []
        for name in documents:
            self.parts.append((name, HtmlHandler().parse(zipsafe.read_part(archive, name, label=label))))
        if ncx:
            self.parts.append((ncx, _XmlText(self._text(archive, ncx), _NCX_TEXT, None)))
        self.parts.append((opf, _XmlText(self._text(archive, opf), _OPF_TEXT, _OPF_LANGUAGE)))
        super().__init__([s for _name, part in self.parts for s in part.segments])

    def _text(self, archive: zipfile.ZipFile, name: str) -> str:
        try:
            return zipsafe.read_part(archive, name, label=self.label).decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise DocumentError(_("This EPUB is damaged: %(name)s is not UTF-8."), params={"name": name},
                                code="corrupt_document") from None

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        archive = zipsafe.open_zip(self.data, label=self.label)
        replaced: dict[str, bytes] = {}
        start, self.fallbacks = 0, 0
        for name, part in self.parts:
            count = len(part.segments)
            if count or target_lang:
                if isinstance(part, _XmlText):
                    replaced[name] = part.build(translations[start:start + count], target_lang=target_lang)
                else:  # XHTML: `lang` only where EPUB 3's XHTML5 has it, `xml:lang` always
                    out = part.build(translations[start:start + count],
                                     target_lang=target_lang if self.version == 3 else "")
                    replaced[name] = _set_xml_lang(out, target_lang) if target_lang else out
                self.fallbacks += part.fallbacks
            start += count
        return rebuild(archive, replaced)


def rebuild(archive: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """The EPUB with some parts replaced: `mimetype` first and stored, then every other entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0)), MIMETYPE,
                        compress_type=zipfile.ZIP_STORED)
        for info in archive.infolist():
            if info.filename == "mimetype":
                continue
            data = replaced[info.filename] if info.filename in replaced else archive.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    return out.getvalue()


class EpubHandler(DocumentHandler):
    format = "epub"
    label = gettext_lazy("EPUB e-book")
    extensions = ("epub",)
    output = Output("epub", "application/epub+zip")
    kept = gettext_lazy("Chapters' markup, links, images, styles and fonts; the table of contents and the title "
                        "translated; the language set to the target; a valid archive (mimetype first).")

    def sniff(self, data: bytes) -> bool:
        if not data.startswith(zipsafe.ZIP_MAGIC):
            return False
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = archive.namelist()
            return ("mimetype" in names and archive.read("mimetype").strip() == MIMETYPE) or (
                "META-INF/container.xml" in names and not any(n.endswith("[Content_Types].xml") for n in names)
                and "content.xml" not in names)
        except Exception:  # noqa: BLE001 - damaged: parse says so clearly
            return True

    def parse(self, data: bytes) -> EpubDocument:
        return EpubDocument(data, label=str(self.label))
