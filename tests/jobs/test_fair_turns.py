"""Fair turns with a real 2-worker cluster: while user A's 200-document job is queued, user B's
single document starts within the time of two tasks (not behind A's 200)."""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from jobs import services as jobs
from tasks import services
from tasks.models import ProcessingTask
from tests.helpers import upload
from tests.jobs.helpers import file
from tests.servers import qcluster_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SLOWDOWN = Path(__file__).resolve().parents[1] / "e2e" / "slowdown"  # OpenCC sleeps per segment in the worker
ROOT = Path(__file__).resolve().parents[2]


def test_a_single_document_starts_within_two_tasks_while_a_200_document_job_is_queued(settings, tmp_path,
                                                                                       real_queue):
    settings.ZHIYI_TURNS_PER_USER = 2
    User = get_user_model()
    alice, bob = User.objects.create_user("alice"), User.objects.create_user("bob")
    uploads = [file(f"doc{n:03}.txt", f"第{n}份文件。\n".encode()) for n in range(200)]
    job = jobs.create_job(user_id=alice.pk, uploads=uploads, engine_name="opencc", source_lang="zh-Hans",
                          target_langs=["zh-Hant"])
    alices = ProcessingTask.objects.filter(job_link__job=job)
    assert alices.filter(waiting_turn=True).count() == 198  # two sent to the workers, the rest wait their turn

    env = {"ZHIYI_Q_WORKERS": "2", "ZHIYI_TURNS_PER_USER": "2", "ZHIYI_E2E_SEGMENT_DELAY_S": "0.4",
           "PYTHONPATH": f"{SLOWDOWN}:{ROOT}"}
    with qcluster_worker(log_path=tmp_path / "qcluster.log", **env):
        wait_for(lambda: alices.filter(status="completed").count() >= 4, timeout=60)
        sent_at = timezone.now()
        single = services.create_task(user_id=bob.pk, upload=upload("乙的文件。\n"), engine_name="opencc",
                                      source_lang="zh-Hans", target_lang="zh-Hant")
        wait_for(lambda: ProcessingTask.objects.filter(pk=single.pk, status="completed").exists(), timeout=60)
        single.refresh_from_db()
        finished = list(alices.filter(status="completed", finished_at__lt=sent_at))

    task_time = statistics.median((t.finished_at - t.started_at).total_seconds() for t in finished)
    waited = (single.started_at - sent_at).total_seconds()
    print(f"user B waited {waited:.2f} s; one task takes {task_time:.2f} s (median)")  # shown with -s
    assert waited <= 2 * task_time, (waited, task_time)
    # And A was not stalled for it: A's job went on meanwhile, and most of it is still to come.
    assert alices.filter(status="queued").count() > 150
