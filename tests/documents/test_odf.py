"""OpenDocument text, spreadsheets and presentations built with odfpy (an independent writer),
translated with the real opencc engine and read back with odfpy: spans, links, notes, frames,
headers, numbers and formulas, speaker notes kept."""
from __future__ import annotations

import io
import zipfile

import pytest
from odf import draw, opendocument, presentation, style, table, teletype, text
from odf.namespaces import TABLENS

from tasks.documents import DocumentError, detect
from tests.documents.files import opencc


def save(doc) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def translate(name: str, data: bytes):  # noqa: ANN201
    document = detect(name, data).parse(data)
    out = document.build(opencc(document.segments), target_lang="zh-Hant")
    return opendocument.load(io.BytesIO(out)), document, out


def make_odt() -> bytes:
    doc = opendocument.OpenDocumentText()
    bold = style.Style(name="B", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    layout = style.PageLayout(name="PL")
    doc.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(text="页眉简体"))
    master.addElement(header)
    doc.masterstyles.addElement(master)
    p = text.P(text="简体开头")
    p.addElement(text.Span(stylename=bold, text="粗体发展"))
    p.addElement(text.A(href="https://example.com/", text="链接简体"))
    note = text.Note(id="n1", noteclass="footnote")
    note.addElement(text.NoteCitation(text="1"))
    body = text.NoteBody()
    body.addElement(text.P(text="脚注简体"))
    note.addElement(body)
    p.addElement(note)
    p.addText("结尾简体")
    doc.text.addElement(p)
    frame = draw.Frame(width="5cm", height="2cm", anchortype="paragraph")
    box = draw.TextBox()
    box.addElement(text.P(text="文本框简体"))
    frame.addElement(box)
    holder = text.P()
    holder.addElement(frame)
    doc.text.addElement(holder)
    doc.text.addElement(text.H(outlinelevel=1, text="标题简体"))
    return save(doc)


def test_odt_spans_links_notes_frames_and_headers_are_translated_in_place():
    doc, document, out = translate("报告.odt", make_odt())
    assert document.fallbacks == 0
    paragraphs = [teletype.extractText(p) for p in doc.getElementsByType(text.P)]
    assert "簡體開頭粗體發展鏈接簡體1腳註簡體結尾簡體" in paragraphs
    assert "文本框簡體" in paragraphs and "腳註簡體" in paragraphs
    assert [teletype.extractText(h) for h in doc.getElementsByType(text.H)] == ["標題簡體"]
    assert teletype.extractText(doc.getElementsByType(text.Span)[0]) == "粗體發展"
    assert doc.getElementsByType(text.A)[0].getAttribute("href") == "https://example.com/"
    assert len(doc.getElementsByType(text.Note)) == 1 and len(doc.getElementsByType(draw.Frame)) == 1
    assert teletype.extractText(doc.getElementsByType(style.Header)[0]) == "頁眉簡體"
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_ods_numbers_and_formulas_stay_and_strings_are_translated():
    doc = opendocument.OpenDocumentSpreadsheet()
    sheet = table.Table(name="表一")
    row = table.TableRow()
    for cell in (table.TableCell(valuetype="string"), table.TableCell(valuetype="float", value="3"),
                 table.TableCell(valuetype="float", value="6", formula="of:=[.B1]*2")):
        row.addElement(cell)
    row.childNodes[0].addElement(text.P(text="简体标签"))
    row.childNodes[1].addElement(text.P(text="3"))
    row.childNodes[2].addElement(text.P(text="6"))
    sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    result, document, _ = translate("表.ods", save(doc))
    assert document.segments == ["简体标签"]
    cells = result.getElementsByType(table.TableCell)
    assert teletype.extractText(cells[0]) == "簡體標籤"
    assert cells[2].getAttrNS(TABLENS, "formula") == "of:=[.B1]*2" and teletype.extractText(cells[2]) == "6"
    assert result.getElementsByType(table.Table)[0].getAttribute("name") == "表一"  # sheet names are names


def test_odp_slides_and_speaker_notes_are_translated():
    doc = opendocument.OpenDocumentPresentation()
    layout = style.PageLayout(name="PL")
    doc.automaticstyles.addElement(layout)
    master = style.MasterPage(name="M", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    page = draw.Page(masterpagename=master)
    frame = draw.Frame(width="10cm", height="3cm", x="1cm", y="1cm")
    box = draw.TextBox()
    box.addElement(text.P(text="幻灯片简体"))
    frame.addElement(box)
    page.addElement(frame)
    notes = presentation.Notes()
    notes_frame = draw.Frame(width="10cm", height="3cm", x="1cm", y="1cm")
    notes_box = draw.TextBox()
    notes_box.addElement(text.P(text="演讲者备注简体"))
    notes_frame.addElement(notes_box)
    notes.addElement(notes_frame)
    page.addElement(notes)
    doc.presentation.addElement(page)
    result, _, _ = translate("演示.odp", save(doc))
    assert [teletype.extractText(p) for p in result.getElementsByType(text.P)] == ["幻燈片簡體", "演講者備註簡體"]


def test_a_password_protected_or_damaged_odt_is_refused():
    data = make_odt()
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                body = body.replace(b"</manifest:manifest>", b"<manifest:file-entry manifest:full-path=\"x\" "
                                    b"manifest:media-type=\"\"><manifest:encryption-data/></manifest:file-entry>"
                                    b"</manifest:manifest>")
            target.writestr(info, body)
    with pytest.raises(DocumentError) as refused:
        detect("a.odt", out.getvalue()).parse(out.getvalue())
    assert refused.value.code == "encrypted_document"
    with pytest.raises(DocumentError) as refused:
        detect("a.odt", data[:len(data) // 2]).parse(data[:len(data) // 2])
    assert refused.value.code == "corrupt_document"
