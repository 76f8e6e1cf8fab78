"""DOCX, XLSX and PPTX round trips with the real opencc engine: text changes, everything else
(run formatting, tables, fields, images, formulas, charts, notes) stays as it was."""
from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest
from pptx import Presentation

from tasks.documents import get_handler
from tests.documents.files import make_docx, make_pptx, make_xlsx, opencc, to_shared_strings, with_part, zip_parts


def runs(paragraph) -> list[tuple[str, bool | None, bool | None]]:  # noqa: ANN001
    return [(r.text, r.bold, r.italic) for r in paragraph.runs]


def test_docx_text_is_translated_with_run_formatting_tables_headers_and_fields_kept():
    data = make_docx()
    document = get_handler("docx").parse(data)
    assert "这是<1>粗体</1>的文字，还有<2>斜体</2>。访问<3>简体链接</3>。" in document.segments
    assert "第<1/>页简体" in document.segments  # the PAGE field is an atom
    out = document.build(opencc(document.segments))
    assert document.fallbacks == 0
    result = docx.Document(io.BytesIO(out))
    body = result.paragraphs
    assert (body[0].text, body[0].style.name) == ("簡體標題", "Heading 1")
    assert runs(body[1])[:5] == [("這是", None, None), ("粗體", True, None), ("的文字，還有", None, None),
                                 ("斜體", None, True), ("。訪問", None, None)]
    link = body[1]._p.findall(docx.oxml.ns.qn("w:hyperlink"))
    assert len(link) == 1 and [t.text for t in link[0].iter(docx.oxml.ns.qn("w:t"))] == ["簡體鏈接"]
    assert body[3].style.name == "List Bullet" and body[3].text == "列表項簡體"
    table = result.tables[0]
    assert table.style.name == "Table Grid"
    assert table.cell(0, 0).text == "表格單元" and table.cell(0, 1).text == "12345"
    assert table.cell(1, 1).tables[0].cell(0, 0).text == "嵌套表格簡體"
    section = result.sections[0]
    assert section.header.paragraphs[0].text == "頁眉簡體"
    footer = section.footer.paragraphs[0]._p
    assert [t.text for t in footer.iter(docx.oxml.ns.qn("w:instrText"))] == [" PAGE "]
    assert "".join(t.text for t in footer.iter(docx.oxml.ns.qn("w:t"))) == "第1頁簡體"
    # the picture is still in its paragraph, and every non-text part is byte for byte the same
    assert body[2]._p.findall(".//" + docx.oxml.ns.qn("w:drawing"))
    before, after = zip_parts(data), zip_parts(out)
    assert before.keys() == after.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"word/document.xml", "word/header1.xml", "word/footer1.xml"}


def test_docx_placeholders_lost_by_the_engine_cost_only_their_own_span():
    document = get_handler("docx").parse(make_docx())
    garbled = [t.replace("<1>", "").replace("</2>", "<9>").replace("<1/>", "") for t in opencc(document.segments)]
    out = document.build(garbled)
    assert document.fallbacks == 3  # the formatted paragraph, the picture's and the footer's
    paragraph = docx.Document(io.BytesIO(out)).paragraphs[1]
    assert paragraph.text == "這是粗體的文字，還有斜體。訪問簡體鏈接。"
    # the bold span lost its opening: its words are plain; the italic one lost its end: it runs
    # to the end of the paragraph; the hyperlink came back whole and is still a hyperlink
    assert runs(paragraph)[:2] == [("這是粗體的文字，還有", None, None), ("斜體。訪問", None, True)]
    link = paragraph._p.findall(docx.oxml.ns.qn("w:hyperlink"))
    assert len(link) == 1 and "".join(t.text for t in link[0].iter(docx.oxml.ns.qn("w:t"))) == "簡體鏈接"
    # atoms are never dropped: the picture and the PAGE field are still there
    result = docx.Document(io.BytesIO(out))
    assert result.paragraphs[2]._p.findall(".//" + docx.oxml.ns.qn("w:drawing"))
    assert "PAGE" in "".join(result.sections[0].footer.paragraphs[0]._p.itertext())


def test_docx_bilingual_output_follows_each_paragraph_with_its_translation_in_its_own_style():
    document = get_handler("docx").parse(make_docx())
    out = document.build(opencc(document.segments), bilingual=True)
    paragraphs = docx.Document(io.BytesIO(out)).paragraphs
    assert [(p.text, p.style.name) for p in paragraphs[:2]] == [("简体标题", "Heading 1"),
                                                               ("簡體標題", "ZhiYi Translation")]
    assert paragraphs[2].text.startswith("这是粗体") and paragraphs[3].text.startswith("這是粗體")
    assert runs(paragraphs[3])[1] == ("粗體", True, None)


@pytest.mark.parametrize("shared", [True, False], ids=["shared-strings", "inline-strings"])
def test_xlsx_only_strings_change_formulas_numbers_merges_and_charts_are_kept(shared):
    data = to_shared_strings(make_xlsx()) if shared else make_xlsx()
    document = get_handler("xlsx").parse(data)
    assert "粗体简体<1>普通简体</1>" in document.segments
    out = document.build(opencc(document.segments))
    before, after = zip_parts(data), zip_parts(out)
    strings = "xl/sharedStrings.xml" if shared else "xl/worksheets/sheet1.xml"
    assert {n for n in before if before[n] != after[n]} == {strings, "xl/charts/chart1.xml"}
    chart = after["xl/charts/chart1.xml"].decode()
    assert "圖表" in chart and "图表" not in chart  # the chart's title is text; its data refs are not
    formulas = re.compile(r"<(?:c:)?f>[^<]*</(?:c:)?f>")
    assert formulas.findall(chart) == formulas.findall(before["xl/charts/chart1.xml"].decode()) != []
    ws = openpyxl.load_workbook(io.BytesIO(out)).active
    assert ws.title == "数据"  # sheet names are not cell text (formulas refer to them)
    assert [c.value for c in ws[1][:3]] == ["名稱", "數量", "說明"]
    assert (ws["B3"].value, ws["E1"].value, ws["F1"].value) == (1, "=SUM(B2:B4)", 3.5)
    assert ws["G1"].value == "合併單元格" and "G1:H1" in ws.merged_cells
    rich = openpyxl.load_workbook(io.BytesIO(out), rich_text=True).active["A20"].value
    assert str(rich) == "粗體簡體普通簡體" and rich[0].font.b


def test_xlsx_inline_string_blanks_are_kept():
    data = make_xlsx()
    sheet = zip_parts(data)["xl/worksheets/sheet1.xml"].replace(
        b'<c r="F1" t="n"><v>3.5</v></c>',
        '<c r="F1" t="inlineStr"><is><t xml:space="preserve"> 行内简体 </t></is></c>'.encode())
    data = with_part(data, "xl/worksheets/sheet1.xml", sheet)
    document = get_handler("xlsx").parse(data)
    assert " 行内简体 " in document.segments
    ws = openpyxl.load_workbook(io.BytesIO(document.build(opencc(document.segments)))).active
    assert ws["F1"].value == " 行內簡體 "


def test_pptx_text_frames_tables_groups_and_notes_are_translated_with_layout_kept():
    data = make_pptx(slides=2)
    document = get_handler("pptx").parse(data)
    out = document.build(opencc(document.segments))
    before, after = zip_parts(data), zip_parts(out)
    assert {n for n in before if before[n] != after[n]} == {
        "ppt/slides/slide1.xml", "ppt/slides/slide2.xml",
        "ppt/notesSlides/notesSlide1.xml", "ppt/notesSlides/notesSlide2.xml"}
    original, result = Presentation(io.BytesIO(data)), Presentation(io.BytesIO(out))
    slide = result.slides[1]
    assert slide.shapes.title.text == "簡體幻燈片1"
    body = slide.placeholders[1].text_frame.paragraphs
    assert body[0].text == "第一點簡體"
    assert body[1].runs[0].text == "加粗要點" and body[1].runs[0].font.bold
    table = next(s for s in slide.shapes if s.has_table).table
    assert (table.cell(0, 0).text, table.cell(1, 1).text) == ("表格簡體", "42")
    group = next(s for s in slide.shapes if s.shape_type == 6)
    assert group.shapes[0].text_frame.text == "組合簡體"
    assert slide.notes_slide.notes_text_frame.text == "演講者備註簡體"
    for before_shape, after_shape in zip(original.slides[1].shapes, slide.shapes):
        assert (before_shape.left, before_shape.top, before_shape.width, before_shape.height) == (
            after_shape.left, after_shape.top, after_shape.width, after_shape.height)


@pytest.mark.parametrize("fmt, make", [("docx", make_docx), ("xlsx", make_xlsx), ("pptx", make_pptx)])
def test_building_twice_gives_the_same_file(fmt, make):
    document = get_handler(fmt).parse(make())
    translations = opencc(document.segments)
    assert zip_parts(document.build(translations)) == zip_parts(document.build(translations))


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_text_boxes_footnotes_and_tracked_deletions_are_handled():
    data = make_docx()
    body = zip_parts(data)["word/document.xml"].decode()
    extra = ('<w:p><w:r><w:t xml:space="preserve">框外简体 </w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>'
             '<w:p><w:r><w:t>文本框简体</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
             '<w:del w:id="1" w:author="a"><w:r><w:delText>删除简体</w:delText></w:r></w:del></w:p>')
    data = with_part(data, "word/document.xml", body.replace("<w:sectPr", extra + "<w:sectPr", 1).encode())
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>脚注简体</w:t></w:r></w:p></w:footnote></w:footnotes>')
    data = with_part(data, "word/footnotes.xml", footnotes.encode())
    types = zip_parts(data)["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    data = with_part(data, "[Content_Types].xml", types)
    document = get_handler("docx").parse(data)
    assert {"框外简体 <1/><2/>", "文本框简体", "脚注简体"} <= set(document.segments)
    out = zip_parts(document.build(opencc(document.segments)))
    text = out["word/document.xml"].decode()
    assert "框外簡體 </w:t>" in text and "<w:t>文本框簡體</w:t>" in text
    assert "<w:delText>删除简体</w:delText>" in text  # revisions untouched
    assert "<w:t>腳註簡體</w:t>" in out["word/footnotes.xml"].decode()
