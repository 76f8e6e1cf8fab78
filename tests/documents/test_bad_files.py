"""Damaged, truncated, password-protected and bomb files: refused at upload with a clear
message (400/415), and a file that goes bad before the worker reads it fails and is refunded."""
from __future__ import annotations

import pytest

from credits.models import LedgerEntry
from credits.selectors import balance_of, find_breaches
from tasks import processor, services
from tasks.documents import DocumentError, detect
from tasks.models import ProcessingTask
from tests.documents.files import bomb, encrypted_office, encrypted_zip, make_docx, make_pdf, make_pptx, make_xlsx
from tests.helpers import upload

pytestmark = pytest.mark.django_db

MAKERS = {"docx": make_docx, "xlsx": make_xlsx, "pptx": make_pptx}


def damaged(data: bytes) -> bytes:
    """Entry data overwritten in the middle: the zip opens, a part does not inflate."""
    middle = len(data) // 2
    return data[:middle] + b"\xff" * 2000 + data[middle + 2000:]


CASES = {
    "truncated": (lambda data: data[: len(data) // 2], "corrupt_document", "damaged or incomplete"),
    "damaged": (damaged, "corrupt_document", "damaged"),
    "encrypted-office": (lambda data: encrypted_office(), "encrypted_document", "password-protected"),
    "encrypted-zip": (encrypted_zip, "encrypted_document", "password-protected"),
    "bomb": (bomb, "zip_bomb", "decompression bomb"),
}


@pytest.mark.parametrize("fmt", MAKERS)
@pytest.mark.parametrize("case", CASES)
def test_bad_zip_documents_fail_with_a_clear_message(fmt, case):
    spoil, code, words = CASES[case]
    data = spoil(MAKERS[fmt]())
    with pytest.raises(DocumentError) as error:
        detect(f"file.{fmt}", data).parse(data)
    assert error.value.code == code and words in str(error.value)


def test_total_unpacked_size_is_limited_by_the_setting(settings):
    settings.ZHIYI_ZIP_MAX_UNCOMPRESSED_MB = 1
    data = make_docx()
    with pytest.raises(DocumentError, match="unpacks to .* the limit is 1 MB") as error:
        detect("a.docx", bomb(data, megabytes=2)).parse(bomb(data, megabytes=2))
    assert error.value.code == "zip_bomb"


def test_pdfs_without_text_or_with_a_password_or_damaged_fail_clearly():
    handler = detect("a.pdf", make_pdf(["x"]))
    with pytest.raises(DocumentError, match="No text could be recognised") as error:
        handler.parse(make_pdf(["   "]))  # no text layer: its pages are read by OCR, and hold nothing
    assert error.value.code == "no_text_in_scan"
    with pytest.raises(DocumentError, match="damaged or incomplete"):
        handler.parse(make_pdf(["简体"])[:60])
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["简体"]))))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(DocumentError, match="password-protected"):
        handler.parse(locked.getvalue())


@pytest.mark.parametrize("name, data, status, code", [
    ("a.docx", "这不是压缩包".encode(), 415, "unsupported_format"),
    ("a.docx", make_xlsx(), 415, "unsupported_format"),
    ("a.xlsx", make_xlsx()[:3000], 400, "corrupt_document"),
    ("a.pptx", encrypted_office(), 400, "encrypted_document"),
    ("a.docx", bomb(make_docx()), 400, "zip_bomb"),
    ("a.pdf", make_pdf([""]), 400, "no_text_in_scan"),
])
def test_bad_uploads_are_refused_by_the_api_and_charge_nothing(api, user, name, data, status, code):
    response = api.post("/api/tasks/", {"file": upload(data, name), "engine": "opencc", "source_lang": "zh-Hans",
                                        "target_lang": "zh-Hant"}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["detail"]
    assert not ProcessingTask.objects.exists()


def test_a_file_that_fails_in_the_worker_fails_the_task_and_is_refunded(user, settings):
    task = services.create_task(user_id=user.pk, upload=upload(make_docx(), "report.docx"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.cost
    with open(task.original.path, "wb") as handle:  # the stored file went bad (disk, bucket)
        handle.write(make_docx()[:4000])
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "failed" and "damaged or incomplete" in task.error
    assert LedgerEntry.objects.filter(task=task, kind="refund").count() == 1
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert find_breaches() == []


def test_refusals_are_in_the_readers_language(api, user):
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(DocumentError) as error:
            detect("a.docx", encrypted_office()).parse(encrypted_office())
        assert str(error.value) == "此Word 文档受密码保护。请移除密码后重新上传。"
    response = api.post("/api/tasks/", {"file": upload(make_pdf([""]), "a.pdf"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart",
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["code"] == "no_text_in_scan" and "未能识别出文字" in response.json()["detail"]
