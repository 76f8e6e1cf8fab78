"""Retention deletes files and keeps rows; pruning drops old history; JSON logs."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from credits.models import LedgerEntry
from notifications.models import Notification
from tasks.errors import InvalidTransition
from tasks.models import ProcessingTask, TaskEvent, WebhookDelivery
from tasks.services import cancel_task, create_task, retry_task
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def _ended_task(user, *, days_ago: int, django_capture_on_commit_callbacks) -> ProcessingTask:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        task = create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                           target_lang="zh-Hant")
    task.refresh_from_db()
    assert task.status == "completed" and task.result
    ProcessingTask.objects.filter(pk=task.pk).update(finished_at=timezone.now() - timedelta(days=days_ago))
    return task


def test_retention_deletes_files_of_old_tasks_and_keeps_rows(user, settings, capsys,
                                                             django_capture_on_commit_callbacks):
    settings.ZHIYI_RETENTION_DAYS = 30
    old = _ended_task(user, days_ago=31, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    recent = _ended_task(user, days_ago=29, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    running = create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                          target_lang="zh-Hant")
    ProcessingTask.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(days=60))
    old_files = [old.original.name, old.result.name]
    entries_before = LedgerEntry.objects.count()

    call_command("purge_retention")
    assert "deleted the files of 1 task(s)" in capsys.readouterr().out

    old.refresh_from_db()
    assert not old.original and not old.result
    assert not any(default_storage.exists(name) for name in old_files)
    assert (old.status, old.charged, old.characters) == ("completed", old.charged, old.characters)
    assert TaskEvent.objects.filter(task=old, actor="retention").count() == 1
    recent.refresh_from_db()
    assert default_storage.exists(recent.original.name) and default_storage.exists(recent.result.name)
    assert default_storage.exists(ProcessingTask.objects.get(pk=running.pk).original.name)  # still active
    assert LedgerEntry.objects.count() == entries_before
    call_command("purge_retention")  # nothing left to do: no second event
    assert TaskEvent.objects.filter(task=old, actor="retention").count() == 1


def test_a_task_whose_original_was_purged_cannot_be_retried(user, settings):
    task = create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                       target_lang="zh-Hant")
    cancel_task(task_id=task.pk)
    call_command("purge_retention", days=0)
    with pytest.raises(InvalidTransition):
        retry_task(task_id=task.pk)


def test_prune_history_drops_old_notifications_and_deliveries(user, settings):
    settings.ZHIYI_HISTORY_DAYS = 90
    old = Notification.objects.create(user=user, kind="system", params={"title": "old"})
    new = Notification.objects.create(user=user, kind="system", params={"title": "new"})
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    d_old = WebhookDelivery.objects.create(webhook_id="msg_old")
    WebhookDelivery.objects.create(webhook_id="msg_new")
    WebhookDelivery.objects.filter(pk=d_old.pk).update(received_at=timezone.now() - timedelta(days=91))
    call_command("prune_history")
    assert list(Notification.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(WebhookDelivery.objects.values_list("webhook_id", flat=True)) == ["msg_new"]


def test_the_upkeep_schedules_exist_once_each_and_every_function_imports():
    """The schedule rows store dotted paths: a rename that forgets them would fail silently in the
    worker. Replays the schedule migrations (a transactional test may have flushed the rows)."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import import_string
    from django_q.models import Schedule

    steps = [("tasks.migrations.0002_upkeep_schedules", "create"), ("tasks.migrations.0004_jobs_schedules", "forward"),
             ("credits.migrations.0002_grants_with_expiry", "expiry_schedule"),
             ("credits.migrations.0003_jobs_schedule", "forward"),
             ("notifications.migrations.0002_message_params", "add_schedule")]
    for _ in range(2):
        for module, function in steps:
            getattr(import_module(module), function)(apps, None)
    funcs = sorted(Schedule.objects.values_list("func", flat=True))
    assert funcs == ["credits.jobs.expire_credits", "notifications.jobs.prune_notifications",
                     "tasks.jobs.prune_webhook_deliveries", "tasks.jobs.purge_retention", "tasks.jobs.reap_tasks"]
    for func in funcs:
        assert callable(import_string(func)) and isinstance(import_string(func)(), str)


def test_json_log_lines_carry_the_extra_fields_and_tracebacks():
    from zhiyi.logging import JsonFormatter

    record = logging.LogRecord("zhiyi.tasks", logging.ERROR, __file__, 1, "task %s: %s", (7, "failed"), None)
    record.task_id, record.user_id, record.attempt = 7, 3, 2
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "task 7: failed" and line["level"] == "ERROR"
    assert (line["task_id"], line["user_id"], line["attempt"]) == (7, 3, 2)
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["exc_type"] == "ValueError" and "boom" in line["traceback"]
