"""Independent judges of a translated corpus document: each reads the original and the output
with a tool that is not ours (python-docx, openpyxl, python-pptx, html5lib, pysrt, webvtt-py,
`msgfmt -c`, markdown-it) and lists what differs in structure. An empty list is a pass."""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Parts whose text is translated besides the main ones: chart titles, SmartArt.
GRAPHICS = ("word/charts/", "word/diagrams/", "xl/charts/", "xl/diagrams/", "ppt/charts/", "ppt/diagrams/")
# What the manifest's encodings are read as (the supersets the platform decodes them with).
SUPERSET = {"gb2312": "gb18030", "shift_jis": "cp932", "euc-kr": "cp949", "iso-8859-1": "windows-1252",
            "iso-8859-9": "windows-1254", "utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}


def _count(data: bytes, part_prefix: str, tags: tuple[str, ...]) -> Counter:
    out: Counter = Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith(part_prefix) and name.endswith(".xml"):
                raw = archive.read(name)
                for tag in tags:
                    out[tag] += len(re.findall(rb"<" + tag.encode() + rb"[ >/]", raw))
    return out


def judge_docx(before: bytes, after: bytes) -> list[str]:
    import docx

    problems = []
    try:
        a, b = docx.Document(io.BytesIO(before)), docx.Document(io.BytesIO(after))
    except KeyError:  # Strict Open XML: python-docx cannot open it; the tag counts below still can
        a = b = None
    counts = [] if a is None else [
        ("paragraphs", len(a.paragraphs), len(b.paragraphs)), ("tables", len(a.tables), len(b.tables)),
        ("inline shapes", len(a.inline_shapes), len(b.inline_shapes)), ("sections", len(a.sections), len(b.sections))]
    for what, x, y in counts:
        if x != y:
            problems.append(f"{what} {x} -> {y}")
    tags = ("w:hyperlink", "w:ins", "w:del", "w:footnoteReference", "w:endnoteReference", "w:drawing", "w:tbl",
            "w:fldChar", "w:commentRangeStart", "w:txbxContent", "w:object")
    x, y = _count(before, "word/", tags), _count(after, "word/", tags)
    problems += [f"{tag} {x[tag]} -> {y[tag]}" for tag in tags if x[tag] != y[tag]]
    return problems + _same_other_parts(before, after, ("word/document", "word/header", "word/footer",
                                                        "word/footnotes", "word/endnotes", "word/styles", *GRAPHICS))


_CHART_DATA = re.compile(rb"<(?:c:)?f>[^<]*</(?:c:)?f>|<(?:c:)?numCache>.*?</(?:c:)?numCache>|<(?:c:)?strCache>.*?"
                         rb"</(?:c:)?strCache>", re.DOTALL)


def _same_other_parts(before: bytes, after: bytes, text_parts: tuple[str, ...]) -> list[str]:
    """Every part but the text parts byte for byte; in chart parts, the data references and
    caches unchanged (only titles are text)."""
    with zipfile.ZipFile(io.BytesIO(before)) as x, zipfile.ZipFile(io.BytesIO(after)) as y:
        if sorted(x.namelist()) != sorted(y.namelist()):
            return ["package parts differ"]
        problems = [f"{name} changed" for name in x.namelist()
                    if not name.startswith(text_parts) and x.read(name) != y.read(name)]
        problems += [f"{name}: chart data changed" for name in x.namelist() if "/charts/chart" in name
                     and _CHART_DATA.findall(x.read(name)) != _CHART_DATA.findall(y.read(name))]
        return problems


def judge_xlsx(before: bytes, after: bytes) -> list[str]:
    import openpyxl

    problems = _same_other_parts(before, after, ("xl/sharedStrings", "xl/worksheets/sheet", *GRAPHICS))
    try:
        a, b = openpyxl.load_workbook(io.BytesIO(before)), openpyxl.load_workbook(io.BytesIO(after))
    except KeyError:  # a workbook openpyxl itself cannot open (no sharedStrings part)
        return problems
    if a.sheetnames != b.sheetnames:
        return [*problems, f"sheets {a.sheetnames} -> {b.sheetnames}"]
    for sa, sb in zip(a.worksheets, b.worksheets):
        if sa.merged_cells.ranges != sb.merged_cells.ranges and {str(r) for r in sa.merged_cells.ranges} != {
                str(r) for r in sb.merged_cells.ranges}:
            problems.append(f"{sa.title}: merged cells differ")
        for ra, rb in zip(sa.iter_rows(), sb.iter_rows()):
            for ca, cb in zip(ra, rb):
                va, vb = ca.value, cb.value
                if isinstance(va, str) and not va.startswith("="):
                    continue  # text: translated
                if va != vb:
                    problems.append(f"{sa.title}!{ca.coordinate}: {va!r} -> {vb!r}")
    return problems


def judge_pptx(before: bytes, after: bytes) -> list[str]:
    from pptx import Presentation

    a, b = Presentation(io.BytesIO(before)), Presentation(io.BytesIO(after))
    problems = []
    if len(a.slides) != len(b.slides):
        return [f"slides {len(a.slides)} -> {len(b.slides)}"]
    for n, (sa, sb) in enumerate(zip(a.slides, b.slides)):
        if len(sa.shapes) != len(sb.shapes):
            problems.append(f"slide {n}: shapes {len(sa.shapes)} -> {len(sb.shapes)}")
        if sa.has_notes_slide != sb.has_notes_slide:
            problems.append(f"slide {n}: notes lost")
    tags = ("a:hlinkClick", "a:tbl", "a:br", "p:pic", "c:chart", "a:p")
    x, y = _count(before, "ppt/slides/", tags), _count(after, "ppt/slides/", tags)
    problems += [f"{tag} {x[tag]} -> {y[tag]}" for tag in tags if x[tag] != y[tag]]
    return problems + _same_other_parts(before, after, ("ppt/slides/slide", "ppt/notesSlides/", *GRAPHICS))


def html_shape(page: bytes) -> list[str]:
    import html5lib

    tree = html5lib.parse(page, namespaceHTMLElements=False)
    out: list[str] = []

    def walk(el, path: str) -> None:  # noqa: ANN001
        for child in el:
            if isinstance(child.tag, str):
                attrs = "".join(f"[{k}={v}]" for k, v in sorted(child.attrib.items())
                                if k not in ("lang", "alt", "title", "placeholder", "content", "charset"))
                out.append(f"{path}/{child.tag}{attrs}")
                walk(child, f"{path}/{child.tag}")

    walk(tree, "")
    return out


def judge_html(before: bytes, after: bytes) -> list[str]:
    x, y = html_shape(before), html_shape(after)
    if x == y:
        return []
    first = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
    return [f"element tree differs at #{first}: {x[first:first + 1]} -> {y[first:first + 1]} "
            f"({len(x)} -> {len(y)} elements)"]


def judge_srt(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    import pysrt

    a = pysrt.from_string(before.decode(source))
    b = pysrt.from_string(after.decode(encoding))
    if len(a) != len(b):
        return [f"cues {len(a)} -> {len(b)}"]
    return [f"cue {x.index} timing" for x, y in zip(a, b) if (x.start, x.end) != (y.start, y.end)][:3]


def judge_vtt(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    import webvtt

    def read(data: bytes, encoding: str):  # noqa: ANN202
        with tempfile.NamedTemporaryFile("wb", suffix=".vtt", delete=False) as handle:
            handle.write(data.decode(encoding).lstrip("\ufeff").encode("utf-8"))
        try:
            return webvtt.read(handle.name)
        finally:
            Path(handle.name).unlink()

    a, b = read(before, source), read(after, encoding)
    if len(a.captions) != len(b.captions):
        return [f"cues {len(a.captions)} -> {len(b.captions)}"]
    problems = [f"cue {n} timing or settings" for n, (x, y) in enumerate(zip(a.captions, b.captions))
                if (x.start, x.end, x.voice) != (y.start, y.end, y.voice)]
    return problems[:3]


def msgfmt_errors(data: bytes, *, full: bool = False) -> str:
    with tempfile.NamedTemporaryFile("wb", suffix=".po", delete=False) as handle:
        handle.write(data)
    try:
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", handle.name], capture_output=True, text=True)
    finally:
        Path(handle.name).unlink()
    if check.returncode == 0:
        return ""
    return check.stderr if full else check.stderr.strip().splitlines()[-1]


def judge_po(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    import polib

    problems = []
    error, earlier = msgfmt_errors(after), msgfmt_errors(before, full=True)
    if error and (not earlier or "plural" in earlier):  # a catalogue gettext refused already may stay refused
        problems.append(f"msgfmt -c: {error}")
    a = polib.pofile(before.decode(source).lstrip("\ufeff"))
    try:
        b = polib.pofile(after.decode(encoding).lstrip("\ufeff"))
    except UnicodeDecodeError:
        b = polib.pofile(after.decode("utf-8"))
    if len(a) != len(b) or [e.msgid for e in a] != [e.msgid for e in b]:
        problems.append(f"entries {len(a)} -> {len(b)}")
    if [e.msgctxt for e in a] != [e.msgctxt for e in b] or [e.flags for e in a] != [e.flags for e in b]:
        problems.append("contexts or flags changed")
    return problems


def _markdown_skeleton(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    out = []
    for token in tokens:
        if token.type in ("fence", "code_block", "html_block"):
            out.append(f"{token.type}:{token.content}")
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "code_inline":
                    out.append(f"code:{child.content}")
                elif child.type in ("image", "link_open"):  # alt text and link text are translated
                    out.append(f"{child.type}:{child.attrs.get('href', '')}{child.attrs.get('src', '')}")
        else:
            out.append(token.type)
    return out


def judge_md(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    x, y = _markdown_skeleton(before.decode(source)), _markdown_skeleton(after.decode(encoding))
    if x == y:
        return []
    first = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
    return [f"markdown structure differs at #{first}: {x[first:first + 1]} -> {y[first:first + 1]}"]


def judge_txt(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    x, y = before.decode(source).splitlines(), after.decode(encoding).splitlines()
    return [] if len(x) == len(y) else [f"lines {len(x)} -> {len(y)}"]


def judge_pdf(before: bytes, after: bytes) -> list[str]:
    """Read by poppler (pdfinfo, pdfimages, pdftotext), not by the PDFium that wrote it: the
    same pages, the same images, text on every page that had text, and not the original's text."""
    from tests.helpers import pdf_images as images
    from tests.helpers import pdf_pages as pages
    from tests.helpers import pdftotext

    problems = []
    if pages(after) != pages(before):
        problems.append(f"pages {pages(before)} -> {pages(after)}")
    if images(after) != images(before):
        problems.append(f"images {images(before)} -> {images(after)}")
    texts_before, texts_after = pdftotext(before).split("\f"), pdftotext(after).split("\f")
    blank = [n for n, (x, y) in enumerate(zip(texts_before, texts_after)) if x.strip() and not y.strip()]
    if blank:
        problems.append(f"pages with text before and none after: {blank[:5]}")
    if "".join(texts_before).split() == "".join(texts_after).split():
        problems.append("the text is the original's")
    return problems


# Resource files: read by translate-toolkit (its own parsers, not ours). The same units (keys)
# in the same order, each with the same placeholders; untranslatable units unchanged.
_RESOURCE_PLACEHOLDER = re.compile(r"%(?:\d+\$)?[-#0 +]*\d*(?:\.\d+)?l?[sdifuxXeEgGc@]|%\{[^}]+\}|#\{[^}]+\}"
                                   r"|\{\{[^}]+\}\}|\{\w+\}|\$\w+\$")


def _resource_units(store_class, data: bytes) -> list[tuple[str, str]]:  # noqa: ANN001
    store = store_class.parsestring(data)
    return [(u.getid(), str(u.source)) for u in store.units if not u.isheader()]


def _judge_resource(store_class, before: bytes, after: bytes, *, same_ids=None) -> list[str]:  # noqa: ANN001
    try:
        a, b = _resource_units(store_class, before), _resource_units(store_class, after)
    except Exception as exc:  # noqa: BLE001 - any failure to read the output is the finding
        return [f"{store_class.__name__} cannot read the output: {exc}"]
    if [k for k, _ in a] != [(same_ids or (lambda k: k))(k) for k, _ in b]:
        return [f"units {len(a)} -> {len(b)} or their keys changed"]
    problems = [f"placeholders of {k}" for (k, x), (_, y) in zip(a, b)
                if sorted(_RESOURCE_PLACEHOLDER.findall(x)) != sorted(_RESOURCE_PLACEHOLDER.findall(y))]
    return problems[:3]


def judge_json(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    import json

    from translate.storage import jsonl10n

    kind = jsonl10n.WebExtensionJsonFile if b'"message"' in before else jsonl10n.JsonFile
    shape = [] if _json_shape(json.loads(before)) == _json_shape(json.loads(after)) else ["keys or types changed"]
    return shape + _judge_resource(kind, before, after)


def _json_shape(data):  # noqa: ANN001, ANN202
    if isinstance(data, dict):
        return {k: _json_shape(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_json_shape(v) for v in data]
    return data if not isinstance(data, str) else str


def judge_yaml(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    import yaml as pyyaml
    from translate.storage import yaml as tt_yaml

    a, b = pyyaml.safe_load(before), pyyaml.safe_load(after)
    if isinstance(a, dict) and len(a) == 1 and isinstance(b, dict) and len(b) == 1:
        a, b = next(iter(a.values())), next(iter(b.values()))  # the locale root key is renamed
    shape = [] if _json_shape(a) == _json_shape(b) else ["keys or types changed"]
    comments = [] if before.count(b"#") <= after.count(b"#") + 0 else ["comments lost"]
    return shape + comments + _judge_resource(tt_yaml.RubyYAMLFile, before, after)


def judge_android_xml(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    from lxml import etree
    from translate.storage import aresource

    problems = _judge_resource(aresource.AndroidResourceFile, before, after)
    parser = etree.XMLParser(resolve_entities=False)
    a, b = etree.fromstring(before, parser), etree.fromstring(after, parser)
    fixed = [(e.get("name"), etree.tostring(e)) for e in a.iter("string") if e.get("translatable") == "false"]
    kept = {e.get("name"): etree.tostring(e) for e in b.iter("string")}
    problems += [f"translatable=false {name} changed" for name, xml in fixed if kept.get(name) != xml][:3]
    for tag in ("b", "i", "u", "a", "strong", "br", "{urn:oasis:names:tc:xliff:document:1.2}g"):
        if len(a.findall(f".//{tag}")) != len(b.findall(f".//{tag}")):
            problems.append(f"<{tag}> count changed")
    if before.count(b"<![CDATA[") != after.count(b"<![CDATA["):
        problems.append("CDATA sections changed")
    return problems


def judge_apple_strings(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    from translate.storage import properties

    # translate-toolkit wants UTF-8 or UTF-16 with a BOM: give it the decoded text as UTF-8
    a, b = before.decode(source).lstrip("\ufeff"), after.decode(encoding).lstrip("\ufeff")
    return _judge_resource(properties.stringsutf8file, a.encode("utf-8"), b.encode("utf-8"))


def judge_properties(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    from translate.storage import properties

    return _judge_resource(properties.javafile, before, after)


XLIFF_SCHEMAS = {"urn:oasis:names:tc:xliff:document:1.2": "xsd-xliff-1-2-strict",
                 "urn:oasis:names:tc:xliff:document:2.0": "xsd-xliff-2-0"}


def xliff_schema(namespace: str):  # noqa: ANN201
    """The OASIS schema for this XLIFF namespace (from the corpus: Debian's php-symfony-translation),
    its import of xml.xsd pointed at the local copy; None for XLIFF 1.0/1.1 (no schema there)."""
    from lxml import etree

    from tests.corpus.files import corpus_file

    if namespace not in XLIFF_SCHEMAS:
        return None
    local_xml = corpus_file("xsd-xml").as_uri()
    text = corpus_file(XLIFF_SCHEMAS[namespace]).read_bytes()
    text = re.sub(rb'schemaLocation="[^"]*xml\.xsd"', b'schemaLocation="' + local_xml.encode() + b'"', text)
    return etree.XMLSchema(etree.fromstring(text, base_url=str(corpus_file(XLIFF_SCHEMAS[namespace]))))


def xliff_schema_errors(data: bytes) -> list[str]:
    from lxml import etree

    root = etree.fromstring(data)
    schema = xliff_schema(etree.QName(root).namespace)
    if schema is None or schema.validate(root):
        return []
    return [str(e) for e in schema.error_log][:3]


def judge_xliff(before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    from lxml import etree
    from translate.storage import xliff

    problems = []
    if not xliff_schema_errors(before):  # an output valid where the input was
        problems += [f"schema: {e}" for e in xliff_schema_errors(after)]
    a, b = xliff.xlifffile.parsestring(before), xliff.xlifffile.parsestring(after)
    ua, ub = [u for u in a.units if not u.isheader()], [u for u in b.units if not u.isheader()]
    if [u.getid() for u in ua] != [u.getid() for u in ub] or [u.source for u in ua] != [u.source for u in ub]:
        problems.append(f"units or sources changed ({len(ua)} -> {len(ub)})")
    root = etree.fromstring(after)
    ns = etree.QName(root).namespace
    for unit in root.iter(f"{{{ns}}}trans-unit"):
        words = "".join(unit.find(f"{{{ns}}}source").itertext()).strip()
        target = unit.find(f"{{{ns}}}target")
        if unit.get("translate") != "no" and words and unit.get("restype") != "x-gettext-domain-header" and (
                target is None or target.get("state") != "translated" or not "".join(target.itertext()).strip()):
            problems.append(f"unit {unit.get('id')} has no translated target")
            break
    codes = ("x", "bx", "ex", "g", "ph", "bpt", "ept", "mrk")
    for code in codes:
        sources = len(root.findall(f".//{{{ns}}}source//{{{ns}}}{code}"))
        targets = len(root.findall(f".//{{{ns}}}target//{{{ns}}}{code}"))
        if targets < sources and code != "mrk":
            problems.append(f"<{code}> {sources} in sources, {targets} in targets")
    return problems


_ODF_COUNTED = ("text:p", "text:h", "text:span", "text:a", "text:note", "text:s", "text:tab", "text:line-break",
                "draw:frame", "draw:image", "table:table", "table:table-row", "table:table-cell", "text:list-item",
                "office:annotation", "draw:page", "presentation:notes", "text:bookmark", "text:variable-get")


def judge_odf(before: bytes, after: bytes) -> list[str]:
    """odfpy reads both; the element counts that make the structure, every formula and cell
    value, and every part other than content.xml/styles.xml byte for byte; mimetype first, stored."""
    from odf import opendocument

    problems = []
    with zipfile.ZipFile(io.BytesIO(after)) as archive:
        first = archive.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
            problems.append("mimetype is not the first, stored entry")
    a, b = opendocument.load(io.BytesIO(before)), opendocument.load(io.BytesIO(after))

    def census(doc) -> Counter:  # noqa: ANN001
        out: Counter = Counter()
        for root in (doc.topnode,):
            stack = [root]
            while stack:
                node = stack.pop()
                if getattr(node, "qname", None):
                    out[node.tagName] += 1
                    for (_ns, name), value in getattr(node, "attributes", {}).items():
                        if name in ("formula", "value", "date-value", "value-type"):
                            out[f"{name}={value}"] += 1
                stack.extend(node.childNodes)
        return out

    x, y = census(a), census(b)
    problems += [f"{tag} {x[tag]} -> {y[tag]}" for tag in _ODF_COUNTED if x[tag] != y[tag]]
    problems += [f"cell {key} changed" for key in set(x) | set(y) if "=" in key and x[key] != y[key]][:3]
    with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(io.BytesIO(after)) as new:
        if old.namelist() != new.namelist():
            problems.append("parts added, removed or reordered")
        for name in old.namelist():
            if not re.search(r"(?:^|/)(?:content|styles)\.xml$", name) and old.read(name) != new.read(name):
                problems.append(f"{name} changed")
    return problems


judge_odt = judge_ods = judge_odp = judge_odf


def epub_structure(data: bytes, *, malformed_before: frozenset[str] = frozenset()) -> list[str]:
    """What an EPUB reader needs (OCF 3.0): `mimetype` first, stored, holding exactly
    application/epub+zip; the container names a package document that is there; every XHTML
    document of the manifest is well-formed XML (those the input already broke aside)."""
    from lxml import etree

    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED or first.extra:
            problems.append("mimetype is not the first entry, stored, without extra field")
        elif archive.read("mimetype") != b"application/epub+zip":
            problems.append("mimetype content")
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_name = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        opf = etree.fromstring(archive.read(opf_name))
        base = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
        names = set(archive.namelist())
        for item in opf.iter("{http://www.idpf.org/2007/opf}item"):
            path = str(Path(base + item.get("href")).as_posix())
            if path not in names and not item.get("href", "").startswith("http"):
                continue  # a broken reference the input had: not ours to judge
            if item.get("media-type") == "application/xhtml+xml" and path not in malformed_before:
                try:
                    etree.fromstring(archive.read(path), etree.XMLParser(resolve_entities=False, no_network=True))
                except etree.XMLSyntaxError as exc:
                    problems.append(f"{path} is not well-formed: {exc}")
    return problems[:5]


def _xhtml_shape(data: bytes) -> list[str]:
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    return [f"{el.tag}|{sorted((k, v) for k, v in el.attrib.items() if k not in _EPUB_TEXT_ATTRS)}"
            for el in root.iter() if isinstance(el.tag, str)]


_EPUB_TEXT_ATTRS = {"lang", "{http://www.w3.org/XML/1998/namespace}lang", "alt", "title"}


def _malformed(data: bytes) -> frozenset[str]:
    from lxml import etree

    out = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".html", ".htm")):
                try:
                    etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
                except etree.XMLSyntaxError:
                    out.add(name)
    return frozenset(out)


def judge_epub(before: bytes, after: bytes) -> list[str]:
    problems = epub_structure(after, malformed_before=_malformed(before))
    with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(io.BytesIO(after)) as new:
        if sorted(old.namelist()) != sorted(new.namelist()):
            problems.append("entries added or removed")
        for name in old.namelist():
            a, b = old.read(name), new.read(name)
            if name.endswith((".xhtml", ".html", ".htm")):
                if a != b and _xhtml_shape(a) != _xhtml_shape(b):
                    problems.append(f"{name}: element structure changed")
            elif not name.endswith((".opf", ".ncx")) and name != "mimetype" and a != b:
                problems.append(f"{name} changed")
    return problems[:5]


def judge_image(before: bytes, after: bytes) -> list[str]:
    """A scanned page comes back as a DOCX (python-docx) with one section per page and text."""
    import docx
    from PIL import Image

    with Image.open(io.BytesIO(before)) as image:
        pages = getattr(image, "n_frames", 1)
    document = docx.Document(io.BytesIO(after))
    problems = [] if any(p.text.strip() for p in document.paragraphs) else ["no text in the DOCX"]
    if len(document.sections) > pages:
        problems.append(f"sections {len(document.sections)} for {pages} page(s)")
    return problems


judge_png = judge_jpg = judge_tiff = judge_image
