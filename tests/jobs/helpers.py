"""Documents for job tests: txt, docx, srt in Simplified Chinese, zips of them."""
from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.files import make_docx

TXT = "汉字简体转换测试。\n这是第二行，包含发展与联系。\n".encode()
SRT = "1\n00:00:01,000 --> 00:00:02,000\n简体字幕\n\n2\n00:00:03,000 --> 00:00:04,000\n第二条字幕\n".encode()


def file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def three_documents() -> list[SimpleUploadedFile]:
    return [file("notes.txt", TXT), file("manual.docx", make_docx()), file("film.srt", SRT)]


def zipped(entries: dict[str, bytes], name: str = "docs.zip") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return file(name, out.getvalue())
