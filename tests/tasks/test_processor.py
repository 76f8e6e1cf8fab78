"""The worker's duties: claim once, fail and refund exactly once, stop when cancelled."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credits.models import LedgerEntry
from credits.selectors import balance_of, find_breaches
from notifications.models import Notification
from tasks import processor, services
from tasks.engines.base import EngineError
from tasks.engines.opencc import OpenCCEngine
from tasks.errors import TaskNoLongerOurs
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def make_task(user, text="简体中文。\n第二行。\n"):
    return services.create_task(user_id=user.pk, upload=upload(text), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")


def test_an_engine_error_fails_the_task_and_refunds_exactly_once(user, monkeypatch, settings):
    def broken(self, segments, source, target):
        raise EngineError("The engine is down.")

    monkeypatch.setattr(OpenCCEngine, "translate", broken)
    task = make_task(user)
    processor.run_task(task.pk)
    processor.run_task(task.pk)  # django-q2 redelivers: the second run must change nothing
    task.refresh_from_db()
    assert (task.status, task.error) == ("failed", "The engine is down.")
    assert LedgerEntry.objects.filter(task=task, kind="refund").count() == 1
    assert Notification.objects.filter(user=user, kind="task_failed").count() == 1
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert find_breaches() == []


def test_an_unexpected_error_fails_with_a_plain_message_and_refunds(user, monkeypatch):
    monkeypatch.setattr(OpenCCEngine, "translate", lambda *a: 1 / 0)
    task = make_task(user)
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "failed" and "internal error" in task.error
    assert "ZeroDivision" not in task.error


def test_a_duplicate_delivery_of_a_running_task_is_a_no_op(user):
    task = make_task(user)
    claimed = services.claim_task(task_id=task.pk)
    assert claimed.attempt == 1
    assert services.claim_task(task_id=task.pk) is None  # live heartbeat: another run owns it
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert (task.status, task.attempt) == ("processing", 1)


def test_a_run_that_died_is_taken_over_and_the_old_run_is_shut_out(user):
    task = make_task(user)
    first = services.claim_task(task_id=task.pk)
    ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    processor.run_task(task.pk)  # redelivered after the crash: attempt 2 does the work
    task.refresh_from_db()
    assert (task.status, task.attempt) == ("completed", 2)
    with pytest.raises(TaskNoLongerOurs):
        services.update_progress(task_id=task.pk, run=first.run, progress=50, done=1, total=2)
    assert services.complete_task(task_id=task.pk, run=first.run, result_name="x", characters=1) is False
    assert LedgerEntry.objects.filter(task=task, kind__in=["settle_refund", "refund"]).count() <= 1
    assert find_breaches() == []


def test_past_the_attempt_limit_the_task_fails_and_is_refunded(user, settings):
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 2
    task = make_task(user)
    for _ in range(2):
        services.claim_task(task_id=task.pk)
        ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "failed" and "2 attempts" in task.error
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS


def test_a_cancel_during_the_run_stops_the_worker_and_keeps_no_result(user, monkeypatch, settings):
    settings.ZHIYI_BATCH_CHARS = 100
    settings.ZHIYI_PROGRESS_INTERVAL_S = 0
    calls = []
    real = OpenCCEngine.translate

    def translate_then_cancel(self, segments, source, target):
        calls.append(len(segments))
        if len(calls) == 2:
            services.cancel_task(task_id=task.pk)
        return real(self, segments, source, target)

    monkeypatch.setattr(OpenCCEngine, "translate", translate_then_cancel)
    task = make_task(user, "".join(f"第{i}行简体中文内容。\n" for i in range(200)))
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == "cancelled" and not task.result
    assert len(calls) == 2  # stopped at the next progress step, not at the end
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert find_breaches() == []


@pytest.mark.parametrize("interval", [0, 3600])
def test_progress_is_throttled_and_reports_segments(user, settings, monkeypatch, interval):
    from tasks.translation import batches

    settings.ZHIYI_BATCH_CHARS = 200
    settings.ZHIYI_PROGRESS_INTERVAL_S = interval
    lines = [f"第{i}行简体中文内容。" for i in range(200)]
    # No interval: one write per batch. A long interval: none (the run is shorter than it).
    expected_writes = len(batches(lines, 200)) if interval == 0 else 0
    assert interval or expected_writes > 1
    writes = []
    real = services.update_progress
    monkeypatch.setattr(services, "update_progress", lambda **kw: (writes.append(kw), real(**kw)))
    task = make_task(user, "\n".join(lines))
    processor.run_task(task.pk)
    assert len(writes) == expected_writes
    if writes:
        assert (writes[-1]["done"], writes[-1]["total"]) == (200, 200)
        progress = [w["progress"] for w in writes]
        assert progress == sorted(progress) and progress[-1] == 95
    task.refresh_from_db()
    assert (task.status, task.progress) == ("completed", 100)


def test_the_reaper_requeues_a_task_whose_heartbeat_went_stale(user, django_capture_on_commit_callbacks):
    from tasks.jobs import reap as reap_tasks

    task = make_task(user)
    services.claim_task(task_id=task.pk)
    assert reap_tasks().requeued_or_failed == []
    ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_tasks().requeued_or_failed == [task.pk]
    task.refresh_from_db()
    assert (task.status, task.attempt) == ("completed", 2)
