"""Hostile uploads through every format: mutated files (hypothesis, bounded) never crash the
platform — they are refused with a code, or fail in the worker and are refunded — nothing is
written outside MEDIA_ROOT, and XML entities are never expanded (a billion laughs, an external
entity pointing at a local file)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits.selectors import balance_of, find_breaches
from tasks import processor
from tasks.models import ProcessingTask
from tests.documents.files import make_docx, make_pdf, make_pptx, make_xlsx, with_part
from tests.helpers import upload
from tests.reliability.conftest import record

pytestmark = pytest.mark.django_db

SEEDS = {
    "txt": "第一行简体。\n第二行。\n".encode(),
    "md": "# 标题\n\n简体 *强调* [链接](https://example.com)\n\n```\ncode\n```\n".encode(),
    "html": '<html lang="zh"><body><p>简体<b>粗体</b><a href="/x" title="说明">链接</a></p></body></html>'.encode(),
    "srt": "1\n00:00:01,000 --> 00:00:02,000\n简体字幕\n\n2\n00:00:03,000 --> 00:00:04,000\n第二条\n".encode(),
    "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n简体字幕\n".encode(),
    "po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "简体"\nmsgstr ""\n'.encode(),
    "docx": make_docx(),
    "xlsx": make_xlsx(),
    "pptx": make_pptx(),
    "pdf": make_pdf(["简体中文的发展"]),
}
SEEN: dict[str, int] = {}


def mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, length, insert in cuts:
        at = position % (len(out) + 1)
        out[at:at + length] = insert
    return bytes(out)


@hyp_settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(fmt=st.sampled_from(sorted(SEEDS)),
       cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 64), st.binary(max_size=16)), max_size=4))
def test_a_mutated_upload_is_refused_or_fails_cleanly_and_is_refunded(api, user, settings, fmt, cuts):
    # Quotas are not what this is about (hundreds of uploads a minute): they are off here.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    data = mutate(SEEDS[fmt], cuts)
    before = balance_of(user_id=user.pk)
    response = api.post("/api/tasks/", {"file": upload(data, f"x.{fmt}"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code in (201, 400, 413, 415), response.content
    if response.status_code != 201:
        assert response.json()["code"] and balance_of(user_id=user.pk) == before
        SEEN[f"{fmt} refused"] = SEEN.get(f"{fmt} refused", 0) + 1
        return
    task = ProcessingTask.objects.get(pk=response.json()["id"])
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status in ("completed", "failed"), task.status
    if task.status == "failed":
        assert balance_of(user_id=user.pk) == before  # refunded
        assert "internal error" not in task.error  # a clear reason, not a crash
    SEEN[f"{fmt} {task.status}"] = SEEN.get(f"{fmt} {task.status}", 0) + 1
    media = Path(settings.MEDIA_ROOT).resolve()
    for name in (task.original.name, task.result.name):
        if name:
            assert (media / name).resolve().is_relative_to(media)
    assert find_breaches() == []


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
                     for n in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
          b'<w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
SECRET = "TOP-SECRET-4242"


def external_entity(path: Path) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file://{path}">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
            '<w:r><w:t>简体 &secret; 文字</w:t></w:r></w:p></w:body></w:document>').encode()


@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity"])
def test_xml_entities_are_never_expanded(api, user, tmp_path, kind):
    (tmp_path / "secret.txt").write_text(SECRET)
    payload = LAUGHS if kind == "billion-laughs" else external_entity(tmp_path / "secret.txt")
    data = with_part(make_docx(), "word/document.xml", payload)
    before = balance_of(user_id=user.pk)
    response = api.post("/api/tasks/", {"file": upload(data, "evil.docx"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    if response.status_code == 201:
        task = ProcessingTask.objects.get(pk=response.json()["id"])
        processor.run_task(task.pk)
        task.refresh_from_db()
        if task.status == "completed":
            result = task.result.read()
            assert b"lol" * 100 not in result and SECRET.encode() not in result
        else:
            assert balance_of(user_id=user.pk) == before
    else:
        assert response.status_code in (400, 415) and balance_of(user_id=user.pk) == before
    record("hostile XML", payload=kind, answer=response.status_code)


def test_zz_report_the_fuzzing():
    record("hostile uploads", examples=sum(SEEN.values()), **{k.replace(" ", "_"): v for k, v in sorted(SEEN.items())})
    assert sum(SEEN.values()) >= 100
