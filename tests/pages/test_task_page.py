"""The task page: the side-by-side preview, what memory and the glossary did, the deadline of
the external engine. Tasks run through the real worker in-process (sync queue)."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from memory.services import create_glossary
from tasks import preview, services
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def _completed(user, capture, text: str, name: str = "doc.txt", **options) -> ProcessingTask:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        task = services.create_task(user_id=user.pk, upload=upload(text, name=name), engine_name="opencc",
                                    source_lang="zh-Hans", target_lang="zh-Hant", options=options or None)
    task.refresh_from_db()
    assert task.status == "completed", task.message
    return task


def _pairs(html: str) -> list[tuple[str, str]]:
    cells = re.findall(r'<p lang="(zh-Han[st])" dir="auto" translate="no">(.*?)</p>', html, re.DOTALL)
    assert [lang for lang, _ in cells] == ["zh-Hans", "zh-Hant"] * (len(cells) // 2)
    texts = [text for _, text in cells]
    return list(zip(texts[::2], texts[1::2]))


def test_a_completed_text_task_shows_source_and_translation_side_by_side_in_pages(
        browser, user, django_capture_on_commit_callbacks):
    lines = [f"第{n}行：这里讨论发展与联系。" for n in range(1, 46)]
    task = _completed(user, django_capture_on_commit_callbacks, "\n".join(lines) + "\n")
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert '<section id="preview" class="card preview" aria-labelledby="preview-title">' in html
    pairs = _pairs(html)
    assert len(pairs) == 20
    assert pairs[0] == ("第1行：这里讨论发展与联系。", "第1行：這裏討論發展與聯繫。")
    assert "Segments 1 to 20 of 45." in html and "Page 1 of 3" in html
    assert 'href="?page=2#preview" rel="next"' in html

    last = browser.get(f"/tasks/{task.pk}/?page=3").content.decode()
    assert [source for source, _ in _pairs(last)] == lines[40:]
    assert "Segments 41 to 45 of 45." in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert '<ol class="preview-pairs" start="41">' in last
    # A page past the end shows the last one; nonsense shows the first.
    assert "Segments 41 to 45 of 45." in browser.get(f"/tasks/{task.pk}/?page=99").content.decode()
    assert "Segments 1 to 20 of 45." in browser.get(f"/tasks/{task.pk}/?page=x").content.decode()


def test_the_preview_reads_structured_formats_with_their_own_handler(browser, user,
                                                                     django_capture_on_commit_callbacks):
    subtitles = "1\n00:00:01,000 --> 00:00:02,000\n简体字幕\n\n2\n00:00:03,000 --> 00:00:04,000\n<b>发展</b>联系\n"
    task = _completed(user, django_capture_on_commit_callbacks, subtitles, name="film.srt")
    assert _pairs(browser.get(f"/tasks/{task.pk}/").content.decode()) == [
        ("简体字幕", "簡體字幕"), ("发展联系", "發展聯繫")]  # formatting placeholders are not shown


def test_formats_without_a_preview_and_files_too_large_say_so_or_show_nothing(
        browser, user, django_capture_on_commit_callbacks, monkeypatch):
    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "发展"\nmsgstr ""\n'
    task = _completed(user, django_capture_on_commit_callbacks, po, name="app.po")
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert '<section id="preview" class="card preview" hidden' in html and "Preview" not in html

    # The slowest handlers have a smaller limit.
    markdown = _completed(user, django_capture_on_commit_callbacks, "".join(f"第{n}段。\n\n" for n in range(3000)),
                          name="long.md")
    assert markdown.size > 32 * 1024
    assert "too large to preview here (over 32 KB" in browser.get(f"/tasks/{markdown.pk}/").content.decode()

    monkeypatch.setattr(preview, "PREVIEW_MAX_BYTES", 2048)
    big = _completed(user, django_capture_on_commit_callbacks, "这里讨论发展与联系。\n" * 100)  # 3,100 bytes
    html = browser.get(f"/tasks/{big.pk}/").content.decode()
    assert "This document is too large to preview here (over 2 KB in one of its files)." in html
    assert 'translate="no">' not in html.split('id="preview"')[1]


def test_a_missing_result_file_says_no_preview_could_be_made(browser, user, django_capture_on_commit_callbacks):
    task = _completed(user, django_capture_on_commit_callbacks, "发展\n")
    task.result.storage.delete(task.result.name)
    assert "No preview could be made of this translation." in browser.get(f"/tasks/{task.pk}/").content.decode()


def test_the_page_says_what_translation_memory_did(browser, user, django_capture_on_commit_callbacks):
    first = _completed(user, django_capture_on_commit_callbacks, "第一句。\n第二句。\n第一句。\n")
    assert (first.segments, first.memory_segments) == (3, 0)
    assert "0 of 3 segments came from your translation memory." in browser.get(f"/tasks/{first.pk}/").content.decode()
    # Two of the three lines were translated before: memory serves them.
    again = _completed(user, django_capture_on_commit_callbacks, "第一句。\n第三句。\n第一句。\n", name="again.txt")
    html = browser.get(f"/tasks/{again.pk}/").content.decode()
    assert "2 of 3 segments came from your translation memory." in html
    assert "glossary" not in html.split('id="reuse"')[1].split("</p>")[0]


def test_the_page_says_how_many_glossary_terms_were_applied(browser, user, django_capture_on_commit_callbacks):
    glossary = create_glossary(user_id=user.pk, name="terms", data="发展,發展\n联系,聯繫\n软件,軟體\n".encode())
    task = _completed(user, django_capture_on_commit_callbacks, "发展与联系。\n再谈发展。\n",
                      glossary_id=glossary.pk)
    assert task.glossary_terms == 2
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert "0 of 2 segments came from your translation memory." in html and "2 glossary terms applied." in html
    zh = browser.get(f"/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2 段中有 0 段来自你的翻译记忆。" in zh and "应用了 2 个术语表词条。" in zh
    assert "第 1 至 2 段，共 2 段。" in zh


def test_a_task_waiting_for_the_external_engine_shows_its_deadline_in_the_readers_zone(browser, user, task_row):
    task = task_row(status="waiting_external", message_code="waiting_external",
                    deadline_at=datetime(2026, 5, 1, 12, 30, tzinfo=UTC))
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert ('The external engine has until <time datetime="2026-05-01T12:30:00+00:00">2026-05-01 12:30 UTC</time>'
            " to send the translation") in html
    assert browser.post("/accounts/time-zone/", {"time_zone": "Asia/Shanghai"}).status_code == 204
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert '<time datetime="2026-05-01T20:30:00+08:00">2026-05-01 20:30 CST</time>' in html
    zh = browser.get(f"/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '外部引擎须在 <time datetime="2026-05-01T20:30:00+08:00">2026-05-01 20:30 CST</time> 之前交回译文' in \
        zh.content.decode()
    # Any other state: no deadline said.
    ProcessingTask.objects.filter(pk=task.pk).update(status="processing")
    assert '<p id="deadline" class="help" hidden></p>' in browser.get(f"/tasks/{task.pk}/").content.decode()
