"""Each format through the real path: API upload → create_task → the in-process worker with
opencc → the result download."""
from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from pptx import Presentation

from credits.selectors import find_breaches
from tests.documents.files import make_docx, make_pdf, make_pptx, make_xlsx
from tests.helpers import pdftotext, upload

pytestmark = pytest.mark.django_db


def run(api, data: bytes, name: str, captured, **fields) -> tuple[dict, bytes]:  # noqa: ANN001
    with captured(execute=True):
        response = api.post("/api/tasks/", {"file": upload(data, name), "engine": "opencc", "source_lang": "zh-Hans",
                                            "target_lang": "zh-Hant", **fields}, format="multipart")
    assert response.status_code == 201, response.json()
    task = api.get(f"/api/tasks/{response.json()['id']}/").json()
    assert task["status"] == "completed", task
    result = api.get(task["result_url"])
    return task, b"".join(result.streaming_content)


def test_office_documents_come_back_translated(api, django_capture_on_commit_callbacks):
    task, out = run(api, make_docx(), "报告.docx", django_capture_on_commit_callbacks)
    assert task["filename"].endswith(".docx") and task["characters"] > 0
    assert docx.Document(io.BytesIO(out)).paragraphs[0].text == "簡體標題"
    _, out = run(api, make_xlsx(), "表.xlsx", django_capture_on_commit_callbacks)
    assert openpyxl.load_workbook(io.BytesIO(out)).active["C2"].value == "發展與聯繫"
    _, out = run(api, make_pptx(), "演示.pptx", django_capture_on_commit_callbacks)
    assert Presentation(io.BytesIO(out)).slides[0].shapes.title.text == "簡體幻燈片0"
    assert find_breaches() == []


def test_bilingual_option_reaches_the_document(api, django_capture_on_commit_callbacks):
    _, out = run(api, "简体\n".encode(), "a.txt", django_capture_on_commit_callbacks, bilingual="true")
    assert out.decode() == "简体\n簡體\n"


def test_a_pdf_is_delivered_as_a_pdf_with_its_pages_or_as_docx_on_request(api, django_capture_on_commit_callbacks):
    quote = api.post("/api/quote/", {"file": upload(make_pdf(["简体第一页"]), "a.pdf"), "engine": "opencc",
                                     "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert quote.json()["output_format"] == "pdf" and "layout is kept" in quote.json()["layout_note"]
    task, out = run(api, make_pdf(["简体第一页", "第二页发展"]), "扫描.pdf", django_capture_on_commit_callbacks)
    assert task["filename"].endswith(".pdf") and out.startswith(b"%PDF-")
    pages = pdftotext(out).split("\f")
    assert [p.strip() for p in pages if p.strip()] == ["簡體第一頁", "第二頁發展"]

    quote = api.post("/api/quote/", {"file": upload(make_pdf(["简体"]), "a.pdf"), "engine": "opencc",
                                     "source_lang": "zh-Hans", "target_lang": "zh-Hant", "output_format": "docx"},
                     format="multipart")
    assert quote.json()["output_format"] == "docx" and "not preserved" in quote.json()["layout_note"]
    task, out = run(api, make_pdf(["简体第一页", "第二页发展"]), "扫描.pdf", django_capture_on_commit_callbacks,
                    output_format="docx")
    result = docx.Document(io.BytesIO(out))
    assert [p.text for p in result.paragraphs if p.text] == ["簡體第一頁", "第二頁發展"]
    assert len(result.sections) == 2
    assert task["result_url"]


def test_an_output_the_format_does_not_offer_is_refused_before_anything_is_charged(api):
    answer = api.post("/api/v1/tasks/", {"file": upload(make_pdf(["简体"]), "a.pdf"), "engine": "opencc",
                                         "source_lang": "zh-Hans", "target_lang": "zh-Hant", "output_format": "xlsx"},
                      format="multipart")
    assert answer.status_code == 400 and answer.json()["code"] == "unsupported_output_format"
    assert "pdf, docx" in answer.json()["detail"]
