"""Scanned pages: an image drawn here (Pillow, with the WenQuanYi font the browser tests use)
goes through the API and the worker: Tesseract reads it, the quote counts what it read, opencc
translates it, a DOCX comes back. A blank page, a damaged file and a pixel bomb are refused
before anything is charged."""
from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw, ImageFont

from tasks.documents import DocumentError, detect
from tasks.documents.ocr import installed_languages
from tasks.models import ProcessingTask
from tests.helpers import upload

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
pytestmark = [pytest.mark.django_db, pytest.mark.skipif(
    not shutil.which("tesseract") or "chi_sim" not in installed_languages() or not FONT.exists(),
    reason="tesseract-ocr, tesseract-ocr-chi-sim and fonts-wqy-microhei are needed")]


def page(lines: list[str], fmt: str = "PNG") -> bytes:
    image = Image.new("L", (900, 110 * len(lines) + 40), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 48)
    for number, line in enumerate(lines):
        draw.text((30, 30 + 110 * number), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def test_a_scanned_chinese_page_is_read_quoted_and_translated(api, django_capture_on_commit_callbacks):
    data = page(["简体中文的发展与联系"], "TIFF")
    quote = api.post("/api/quote/", {"file": upload(data, "扫描.tiff"), "engine": "opencc", "source_lang": "zh-Hans",
                                     "target_lang": "zh-Hant"}, format="multipart").json()
    assert quote["format"] == "image" and quote["characters"] >= 8 and quote["layout_note"]
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/tasks/", {"file": upload(data, "扫描.tiff"), "engine": "opencc",
                                           "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    task = api.get(f"/api/tasks/{created.json()['id']}/").json()
    assert task["status"] == "completed" and task["filename"] == "扫描.tiff", task
    out = b"".join(api.get(task["result_url"]).streaming_content)
    text = "".join(p.text for p in docx.Document(io.BytesIO(out)).paragraphs)
    assert "簡體中文的發展與聯繫" in text


def test_an_english_page_needs_only_the_english_pass():
    data = page(["The quick brown fox jumps"])
    assert detect("scan.png", data).parse(data).segments == ["The quick brown fox jumps"]


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("data, code", [
    (page([""]), "no_text_in_scan"),
    (page(["简体"])[:200], "corrupt_document"),
    (_png(20000, 20000), "zip_bomb"),
], ids=["blank", "damaged", "pixel-bomb"])
def test_pages_without_text_damaged_or_huge_are_refused_and_charge_nothing(api, data, code):
    with pytest.raises(DocumentError) as refused:
        detect("scan.png", data).parse(data)
    assert refused.value.code == code
    response = api.post("/api/tasks/", {"file": upload(data, "scan.png"), "engine": "opencc", "source_lang": "zh-Hans",
                                        "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == code
    assert not ProcessingTask.objects.exists()
