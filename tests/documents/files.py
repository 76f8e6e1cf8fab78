"""Real documents made in the test (python-docx, openpyxl, python-pptx, a hand-written PDF),
and the engines that translate them."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from docx.oxml.ns import qn
from lxml import etree
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from pptx import Presentation
from pptx.util import Inches

from tasks.engines.opencc import OpenCCEngine


def _png() -> bytes:
    """A valid 1x1 PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PNG = _png()


def opencc(segments: list[str]) -> list[str]:
    return OpenCCEngine().translate(segments, "zh-Hans", "zh-Hant")


def _field_run(paragraph, instr: str) -> None:  # noqa: ANN001
    """A complex field (e.g. PAGE) as Word writes it: begin, instrText, separate, result, end."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("result", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            el = etree.SubElement(run._r, qn("w:instrText"))
            el.text = text
        elif kind == "result":
            run.text = text
        else:
            etree.SubElement(run._r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)


def _hyperlink(paragraph, text: str, url: str) -> None:  # noqa: ANN001
    rid = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = etree.SubElement(paragraph._p, qn("w:hyperlink"))
    link.set(qn("r:id"), rid)
    run = etree.SubElement(link, qn("w:r"))
    rpr = etree.SubElement(run, qn("w:rPr"))
    etree.SubElement(rpr, qn("w:u")).set(qn("w:val"), "single")
    t = etree.SubElement(run, qn("w:t"))
    t.text = text


def make_docx() -> bytes:
    d = docx.Document()
    d.add_heading("简体标题", 1)
    p = d.add_paragraph("这是")
    p.add_run("粗体").bold = True
    p.add_run("的文字，还有")
    p.add_run("斜体").italic = True
    p.add_run("。访问")
    _hyperlink(p, "简体链接", "https://example.com/简体")
    p.add_run("。")
    d.add_paragraph("图片后面：").add_run().add_picture(io.BytesIO(PNG))
    d.add_paragraph("列表项简体", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "表格单元"
    table.cell(0, 1).text = "12345"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "嵌套表格简体"
    section = d.sections[0]
    section.header.paragraphs[0].text = "页眉简体"
    footer = section.footer.paragraphs[0]
    footer.add_run("第")
    _field_run(footer, " PAGE ")
    footer.add_run("页简体")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def make_xlsx(rows: int = 3) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["名称", "数量", "说明"])
    for i in range(rows):
        ws.append([f"项目简体{i % 50}", i, "发展与联系"])
    ws["E1"] = "=SUM(B2:B4)"
    ws["F1"] = 3.5
    ws.merge_cells("G1:H1")
    ws["G1"] = "合并单元格"
    ws["A20"] = CellRichText([TextBlock(InlineFont(b=True), "粗体简体"), "普通简体"])
    chart = BarChart()
    chart.title = "图表"
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=min(rows, 10) + 1), titles_from_data=True)
    ws.add_chart(chart, "J2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_shared_strings(data: bytes) -> bytes:
    """openpyxl writes inline strings; Excel writes a shared-strings table. Convert, as Excel would."""
    import re

    parts = zip_parts(data)
    strings: list[bytes] = []

    def shared(match: re.Match) -> bytes:  # type: ignore[type-arg]
        strings.append(match.group(2))
        return match.group(1) + b' t="s"><v>%d</v></c>' % (len(strings) - 1)

    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is>(.*?)</is></c>',
                                               shared, parts["xl/worksheets/sheet1.xml"])
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="' + ns
                                     + b'" count="%d" uniqueCount="%d">' % (len(strings), len(strings))
                                     + b"".join(b"<si>" + body + b"</si>" for body in strings) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, body in parts.items():
            archive.writestr(part, body)
    return out.getvalue()


def make_pptx(slides: int = 1) -> bytes:
    prs = Presentation()
    for n in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"简体幻灯片{n}"
        body = slide.placeholders[1].text_frame
        body.text = "第一点简体"
        run = body.add_paragraph().add_run()
        run.text = "加粗要点"
        run.font.bold = True
        table = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
        table.cell(0, 0).text = "表格简体"
        table.cell(1, 1).text = "42"
        group = slide.shapes.add_group_shape()
        group.shapes.add_textbox(Inches(5), Inches(5), Inches(2), Inches(1)).text_frame.text = "组合简体"
        slide.notes_slide.notes_text_frame.text = "演讲者备注简体"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def make_pdf(pages: list[str]) -> bytes:
    """A PDF whose text layer holds `pages` (CID font with a ToUnicode map, so CJK extracts)."""
    objects: list[bytes] = []
    kids = []
    font_id = 3 + 2 * len(pages)
    for n, text in enumerate(pages):
        page_id, content_id = 3 + 2 * n, 4 + 2 * n
        kids.append(page_id)
        hexes = "".join(f"{ord(c):04X}" for c in text)
        stream = f"BT /F1 12 Tf 72 720 Td <{hexes}> Tj ET".encode()
        objects.append((page_id, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
                                 f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()))
        objects.append((content_id, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Z def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")
    objects.append((font_id, f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
                             f"/DescendantFonts [{font_id + 1} 0 R] /ToUnicode {font_id + 2} 0 R >>".encode()))
    objects.append((font_id + 1, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light "
                                 b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"))
    objects.append((font_id + 2, b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"))
    objects.insert(0, (2, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()))
    objects.insert(0, (1, b"<< /Type /Catalog /Pages 2 0 R >>"))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for ident, body in sorted(objects):
        offsets[ident] = out.tell()
        out.write(b"%d 0 obj\n" % ident + body + b"\nendobj\n")
    xref = out.tell()
    count = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for ident in range(1, count):
        out.write(b"%010d 00000 n \n" % offsets[ident])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))
    return out.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    parts = zip_parts(data)
    parts[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, body in parts.items():
            archive.writestr(part, body)
    return out.getvalue()


def encrypted_office() -> bytes:
    """What Office writes for a password-protected file: an OLE compound file with an
    EncryptedPackage stream (only the parts that identify it)."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
            + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000)


def encrypted_zip(data: bytes) -> bytes:
    """The same package with the 'encrypted' flag set on its entries (traditional zip crypto)."""
    raw = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := raw.find(signature, start)) != -1:
            raw[pos + flag_at] |= 0x1
            start = pos + 4
    return bytes(raw)


def bomb(data: bytes, megabytes: int = 30) -> bytes:
    """The package plus one highly compressible part (zeros): a small decompression bomb."""
    return with_part(data, "customXml/item1.xml", b"\0" * (megabytes * 1024 * 1024))


__all__ = ["make_docx", "make_xlsx", "make_pptx", "make_pdf", "opencc", "zip_parts", "with_part",
           "encrypted_office", "encrypted_zip", "bomb", "PNG", "to_shared_strings"]
