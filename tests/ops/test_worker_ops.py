"""Operations against real worker processes: /metrics counts what a qcluster did, and the
reaper recovers a task whose worker was SIGKILLed mid-run, charging it exactly once."""
from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from credits.models import LedgerEntry, Reservation
from credits.selectors import balance_of, find_breaches
from tasks.models import ProcessingTask, TaskEvent
from tasks.services import create_task
from tests.engines.stub_server import SlowLibreTranslate
from tests.helpers import SIMPLIFIED, upload
from tests.servers import qcluster_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _metric(client, name: str, **labels: str) -> float | None:  # noqa: ANN001
    text = client.get("/metrics").content.decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def test_metrics_count_a_task_a_worker_process_completed(client, user, tmp_path, real_queue):
    task = create_task(user_id=user.pk, upload=upload(SIMPLIFIED), engine_name="opencc", source_lang="zh-Hans",
                       target_lang="zh-Hant")
    assert _metric(client, "zhiyi_tasks_completed_total", engine="opencc") is None
    assert _metric(client, "zhiyi_queue_depth") >= 1
    with qcluster_worker(log_path=tmp_path / "qcluster.log"):
        wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == "completed", timeout=60)
    task.refresh_from_db()
    assert _metric(client, "zhiyi_tasks_completed_total", engine="opencc") == 1
    assert _metric(client, "zhiyi_task_duration_seconds_count") == 1
    assert _metric(client, "zhiyi_credits_charged_total") == task.charged


def test_reaper_requeues_a_task_whose_worker_was_killed_and_it_completes_with_one_charge(
        client, user, settings, tmp_path, real_queue):
    engine = SlowLibreTranslate(delay=0.3)
    settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
    settings.ZHIYI_HEARTBEAT_STALE_S = 2
    worker_env = dict(ZHIYI_LIBRETRANSLATE_URL=engine.url, ZHIYI_HEARTBEAT_STALE_S="2", ZHIYI_BATCH_CHARS="100",
                      ZHIYI_PROGRESS_INTERVAL_S="0.1", ZHIYI_Q_WORKERS="1")
    text = "".join(f"Line {n} of a long document that the slow engine translates.\n" for n in range(60))
    with engine.running():
        task = create_task(user_id=user.pk, upload=upload(text), engine_name="libretranslate", source_lang="en",
                           target_lang="es")
        with qcluster_worker(log_path=tmp_path / "first.log", **worker_env) as first:
            wait_for(lambda: engine.requests >= 3 and ProcessingTask.objects.get(pk=task.pk).progress > 0,
                     timeout=60)
            os.killpg(first.pid, signal.SIGKILL)  # the whole cluster: sentinel, pusher, workers
            first.wait(timeout=10)
        requests_before = engine.requests
        task.refresh_from_db()
        assert task.status == "processing" and task.attempt == 1  # the dead run still "owns" it

        call_command("reap_tasks")  # too early: the heartbeat is still fresh
        assert ProcessingTask.objects.get(pk=task.pk).status == "processing"
        # The dead run never beats again: its heartbeat is as old as the stale limit says.
        ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=3))
        call_command("reap_tasks")
        task.refresh_from_db()
        assert task.status == "queued"
        assert TaskEvent.objects.filter(task=task, actor="reaper", status="queued").exists()

        engine.delay = 0
        with qcluster_worker(log_path=tmp_path / "second.log", **worker_env):
            wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == "completed", timeout=90)

    task.refresh_from_db()
    assert task.attempt == 2 and engine.requests > requests_before
    assert "LINE 59" in task.result.read().decode()
    reservation = Reservation.objects.get(task_ref=task.pk)  # one round, one reservation
    assert reservation.state == "settled" and reservation.charged == task.charged > 0
    kinds = sorted(LedgerEntry.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds in (["reserve"], ["reserve", "settle_refund"])
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.charged
    assert find_breaches() == []
    assert _metric(client, "zhiyi_tasks_completed_total", engine="libretranslate") == 1
