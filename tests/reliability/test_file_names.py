"""File names as people give them: very long Chinese or emoji names, with and without an
extension, are stored within what the file system allows, translated, and downloaded under a
name like the one given."""
from __future__ import annotations

import os
from urllib.parse import unquote

import pytest

from tasks import processor
from tasks.models import ProcessingTask
from tests.helpers import upload
from tests.reliability.conftest import record

pytestmark = pytest.mark.django_db

NAMES = ["文" * 84 + ".txt", "文" * 82 + ".txt", "📄" * 75 + ".txt", "翻译" * 55, "🙂文件" * 40, "报告.final.docx.txt"]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: f"{len(n.encode())}-bytes")
def test_a_long_or_emoji_name_is_stored_translated_and_downloaded(api, settings, name):
    response = api.post("/api/tasks/", {"file": upload("汉字简体转换。\n", name), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code == 201, response.json()
    task = ProcessingTask.objects.get(pk=response.json()["id"])
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "completed", task.error
    for stored in (task.original.name, task.result.name):
        assert all(len(part.encode()) <= 255 for part in stored.split("/"))
        assert not stored.rsplit("/", 1)[1].startswith(".")  # never a hidden file
        assert os.path.exists(settings.MEDIA_ROOT / stored)
    download = api.get(f"/api/tasks/{task.pk}/result/")
    assert download.status_code == 200 and b"".join(download.streaming_content).decode() == "漢字簡體轉換。\n"
    given = unquote(download["Content-Disposition"].split("filename*=utf-8''")[-1])
    stem = name.rsplit(".", 1)[0] if name.endswith(".txt") else name
    assert given == f"{stem}.zh-Hant.txt"
    record("file names", name_bytes=len(name.encode()), stored_bytes=len(task.original.name.rsplit("/", 1)[1].encode()),
           result_bytes=len(task.result.name.rsplit("/", 1)[1].encode()), download=len(given.encode()))
