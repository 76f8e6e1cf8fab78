"""Why a task failed reads in the reader's language, whoever wrote it and whenever: the worker
keeps the sentence as its source text and parameters (lib/messages.py), pages, the API, the
notification and the pushed event render it."""
from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from accounts.models import Profile
from notifications.models import Notification
from streams import bus
from tasks import processor, services
from tasks.documents import DocumentError
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ROOT = Path(__file__).resolve().parents[2]


def gave_up_task(user, settings) -> ProcessingTask:
    """A task whose worker died twice: the real path to "gave up after 2 attempts"."""
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 2
    task = services.create_task(user_id=user.pk, upload=upload("简体中文。\n"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    for _ in range(2):
        services.claim_task(task_id=task.pk)
        ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "failed"
    return task


def test_the_record_is_english_and_every_reader_reads_their_language(user, settings):
    task = gave_up_task(user, settings)
    assert task.error == "Gave up after 2 attempts: the worker stopped each time."
    with translation.override("zh-hans"):
        assert task.error_text == "已尝试 2 次，每次处理进程都中途停止，已放弃。"
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(user)
    assert "已尝试 2 次" in page.get(f"/tasks/{task.pk}/").content.decode()
    api = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_login(user)
    assert api.get(f"/api/v1/tasks/{task.pk}/").json()["error"] == "已尝试 2 次，每次处理进程都中途停止，已放弃。"
    note = Notification.objects.get(user=user, kind="task_failed")
    with translation.override("zh-hans"):
        assert note.body.startswith("已尝试 2 次") and CHINESE.search(note.body)
    with translation.override("en"):
        assert note.body.startswith("Gave up after 2 attempts")


def test_a_failure_pushed_from_the_worker_is_in_the_language_the_owner_chose(user, settings, monkeypatch):
    Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    pushed = []
    monkeypatch.setattr(bus, "publish_on_commit", lambda event, using=None: pushed.append(event))
    with translation.override("en"):  # the worker's own language
        gave_up_task(user, settings)
    failed = [event.data for event in pushed if event.data.get("status") == "failed"]
    assert failed and failed[-1]["error"] == "已尝试 2 次，每次处理进程都中途停止，已放弃。"


def test_a_document_error_keeps_its_parameters_and_its_labels_translatable(user):
    task = services.create_task(user_id=user.pk, upload=upload("简体中文。\n"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    error = DocumentError(translation.gettext_lazy("This %(label)s is damaged: part of its content cannot be read."),
                          params={"label": translation.gettext_lazy("Word document")})
    with transaction.atomic():
        services.fail_task(task_id=task.pk, error=error)
    task.refresh_from_db()
    assert task.error == "This Word document is damaged: part of its content cannot be read."
    with translation.override("zh-hans"):
        shown = task.error_text
    assert shown == "此Word 文档已损坏：部分内容无法读取。"  # the label too is in Chinese


def test_free_text_from_an_external_engine_is_shown_as_it_came(user):
    task = services.create_task(user_id=user.pk, upload=upload("简体中文。\n"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    services.fail_task(task_id=task.pk, error="The external engine failed: model overloaded")
    task.refresh_from_db()
    assert task.error_kept == {}
    with translation.override("zh-hans"):
        assert task.error_text == "The external engine failed: model overloaded"


RAISED = {"DocumentError", "UnsupportedFormat", "EngineError", "GlossaryError", "ReadableError"}


def test_every_sentence_raised_for_people_is_translatable():
    """A handler, an engine or the worker raises a template through gettext with its parameters
    apart; an f-string or a plain literal would reach a Chinese reader in English."""
    plain = []
    for path in [*ROOT.glob("tasks/**/*.py"), *ROOT.glob("memory/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in RAISED):
                continue
            if not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.JoinedStr | ast.Constant) or (
                    isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod)):
                plain.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert plain == []
