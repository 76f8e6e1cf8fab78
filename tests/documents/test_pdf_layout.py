"""PDF in, PDF out with its layout kept, judged by poppler (pdfinfo, pdfimages, pdftotext) and by
Tesseract reading the rendered page, so what is drawn is checked, not only the text layer."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks import services
from tasks.documents import get_handler
from tasks.documents.pdf_fonts import faces_for
from tasks.documents.pdf_layout import wrap
from tasks.engines.apertium import ApertiumEngine
from tests.helpers import pdf_images, pdf_pages, pdftotext, upload

DATA = Path(__file__).parent / "data"


def ocr_first_page(data: bytes, tmp_path: Path, language: str) -> str:
    """What Tesseract reads on the first page rendered at 200 dpi."""
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        pytest.skip("tesseract and pdftoppm are needed")
    (tmp_path / "page.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    return subprocess.run(["tesseract", str(tmp_path / "page.png"), "-", "-l", language], capture_output=True,
                          check=True, timeout=120).stdout.decode()


@pytest.mark.django_db
def test_a_libreoffice_pdf_comes_back_translated_with_its_pages_table_and_image(make_user, tmp_path,
                                                                                django_capture_on_commit_callbacks):
    if not ApertiumEngine().availability().available:
        pytest.skip("apertium and apertium-eng-spa are needed")
    original = (DATA / "river-report.pdf").read_bytes()
    user = make_user("reader")
    with django_capture_on_commit_callbacks(execute=True):
        task = services.create_task(user_id=user.pk, upload=upload(original, "river-report.pdf"),
                                    engine_name="apertium", source_lang="en", target_lang="es")
    task.refresh_from_db()
    assert task.status == "completed", task.error
    assert task.result_filename == "river-report.es.pdf"
    translated = task.result.read()
    assert pdf_pages(translated) == pdf_pages(original)
    assert pdf_images(translated) == 1  # the picture is still there
    text = pdftotext(translated)
    for word in ("río", "agua", "ciudad", "norte", "limpio", "pocos"):  # heading, paragraphs, table cells
        assert word in text.lower(), (word, text)
    assert "The river project" not in text
    drawn = ocr_first_page(translated, tmp_path, "spa")
    assert "agua" in drawn and "ciudad" in drawn, drawn  # the glyphs say what the text layer says


@pytest.mark.django_db
def test_the_bilingual_pdf_puts_each_translated_page_after_its_original():
    original = (DATA / "river-report.pdf").read_bytes()
    document = get_handler("pdf").parse(original)
    out = document.build([s.upper() for s in document.segments], bilingual=True, target_lang="en")
    assert pdf_pages(out) == 2 * pdf_pages(original)
    first, second = pdftotext(out).split("\f")[:2]
    assert "Annual report" in first and "ANNUAL REPORT" in second


def test_chinese_is_drawn_in_a_face_that_holds_it(tmp_path):
    original = (DATA / "river-report.pdf").read_bytes()
    document = get_handler("pdf").parse(original)
    translations = ["河流项目年度报告" if "Annual" in s else s for s in document.segments]
    out = document.build(translations, target_lang="zh-Hans")
    assert "河流项目年度报告" in pdftotext(out)
    if "chi_sim" not in subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout:
        pytest.skip("tesseract-ocr-chi-sim is not installed")
    assert "河流" in ocr_first_page(out, tmp_path, "chi_sim").replace(" ", "")


WORDS = ["river", "a", "cleaned", "水", "城市", "extraordinarily-long-word", "de"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
FACE = faces_for("zh-Hans", {"": "".join(WORDS)})[""]
FACE.width(WORDS[0], 10)  # read the face once, here: loading it is the slow part


@given(TEXT, st.floats(min_value=20, max_value=400))
def test_wrapped_lines_keep_every_word_and_stay_inside_the_width(text, width):
    face = FACE
    lines = wrap(text, width, 10, face)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # Only a line of one unbreakable word may be wider than the box.
        assert face.width(line, 10) <= width + 1e-6 or " " not in line.strip()
