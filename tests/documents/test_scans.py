"""Scans and images read by Tesseract: priced from what OCR read, delivered as a DOCX or as a PDF
with the translation set over the page image; a page with no text refused before a charge."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

import docx
import pytest
from PIL import Image

from credits.selectors import balance_of
from tasks import services
from tasks.documents import detect, get_handler
from tasks.documents.ocr import installed_languages
from tasks.documents.scans import images_to_pdf
from tasks.engines.apertium import ApertiumEngine
from tasks.errors import TaskError
from tasks.models import ProcessingTask
from tests.helpers import pdf_pages, pdftotext, upload

DATA = Path(__file__).parent / "data"
pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("eng" not in installed_languages(), reason="tesseract-ocr-eng is not installed")]


def page_image() -> Image.Image:
    """The river report's page as a 200 dpi scan would give it (rendered by PDFium)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument((DATA / "river-report.pdf").read_bytes())
    image = pdf[0].render(scale=200 / 72).to_pil().convert("L")
    pdf.close()
    image.info["dpi"] = (200, 200)
    return image


def png_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(200, 200))
    return out.getvalue()


def translate(user, data: bytes, name: str, captured, **options):  # type: ignore[no-untyped-def]
    if not ApertiumEngine().availability().available:
        pytest.skip("apertium and apertium-eng-spa are needed")
    with captured(execute=True):
        task = services.create_task(user_id=user.pk, upload=upload(data, name), engine_name="apertium",
                                    source_lang="en", target_lang="es", options=options)
    task.refresh_from_db()
    assert task.status == "completed", task.error
    return task, task.result.read()


def test_an_image_is_read_and_delivered_as_a_docx_or_a_pdf_over_its_picture(make_user,
                                                                           django_capture_on_commit_callbacks):
    user = make_user("scanner")
    data = png_of(page_image())
    quote = services.quote_document(filename="report.png", data=data, engine=ApertiumEngine(), user_id=user.pk,
                                    source_lang="en", target_lang="es")
    assert quote.format == "image" and quote.output_format == "docx" and quote.characters > 300
    task, out = translate(user, data, "report.png", django_capture_on_commit_callbacks)
    assert task.result_filename == "report.es.docx" and task.cost == quote.cost
    text = " ".join(p.text for p in docx.Document(io.BytesIO(out)).paragraphs).lower()
    assert "río" in text and "agua" in text and "the river" not in text

    task, out = translate(user, data, "report.png", django_capture_on_commit_callbacks, output_format="pdf")
    assert task.result_filename == "report.es.pdf" and pdf_pages(out) == 1
    assert "agua" in pdftotext(out).lower()  # real text over the picture: searchable


def test_a_scanned_pdf_comes_back_as_a_pdf_of_the_same_pages(make_user, django_capture_on_commit_callbacks):
    scan = images_to_pdf([page_image().convert("RGB"), page_image().convert("RGB")])
    assert pdftotext(scan).strip() == ""  # no text layer: only pictures
    _, out = translate(make_user("scanner"), scan, "scan.pdf", django_capture_on_commit_callbacks)
    assert pdf_pages(out) == 2
    pages = pdftotext(out).split("\f")
    assert all("agua" in page.lower() for page in pages[:2])


def test_a_page_without_text_is_refused_before_anything_is_charged(make_user):
    user = make_user("blank")
    before = balance_of(user_id=user.pk)
    blank = io.BytesIO()
    Image.new("L", (1700, 2200), 255).save(blank, "PNG", dpi=(200, 200))
    with pytest.raises(TaskError) as refused:
        services.create_task(user_id=user.pk, upload=upload(blank.getvalue(), "blank.png"), engine_name="apertium",
                             source_lang="en", target_lang="es")
    assert refused.value.code == "no_text_in_scan"
    assert not ProcessingTask.objects.exists() and balance_of(user_id=user.pk) == before


def test_an_image_that_inflates_past_the_pixel_limit_is_refused_as_a_bomb():
    # A valid PNG header for 30,000 × 30,000 pixels (900 M, ten times Pillow's limit), a few bytes long.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = (30000).to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")
    handler = detect("bomb.png", bomb)
    with pytest.raises(Exception) as refused:
        handler.parse_in(bomb, source_lang="en")
    assert getattr(refused.value, "code", "") == "zip_bomb"


def test_a_language_without_ocr_data_is_refused_with_its_reason():
    with pytest.raises(Exception) as refused:
        get_handler("image").parse_in(png_of(page_image()), source_lang="tlh")
    assert getattr(refused.value, "code", "") == "ocr_unavailable"
