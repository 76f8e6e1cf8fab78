"""Workers under faults, against real processes (`manage.py run_worker`: qcluster under its
supervisor): any of the cluster's processes killed at any moment, a wedged cluster, a worker or
the cluster told to stop. Every task ends completed (or failed and refunded), none is left stuck,
each is charged once, and the books reconcile."""
from __future__ import annotations

import os
import random
import signal
import time

import pytest
from django.test import Client

from credits.models import LedgerEntry, Reservation
from credits.selectors import find_breaches
from tasks.models import ProcessingTask, Status, TaskEvent
from tasks.services import create_task
from tests.engines.stub_server import SlowLibreTranslate
from tests.helpers import is_postgres, upload
from tests.reliability.conftest import record
from tests.servers import cluster_processes, qcluster_worker, supervised_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TERMINAL = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


def worker_env(engine: SlowLibreTranslate, **extra: str) -> dict[str, str]:
    return {"ZHIYI_LIBRETRANSLATE_URL": engine.url, "ZHIYI_BATCH_CHARS": "120", "ZHIYI_PROGRESS_INTERVAL_S": "0.05",
            "ZHIYI_HEARTBEAT_STALE_S": "3", "ZHIYI_QUEUED_GRACE_S": "5", "ZHIYI_QUEUE_STALL_S": "4",
            "ZHIYI_REAP_INTERVAL_S": "0.5", "ZHIYI_PROBE_INTERVAL_S": "1", "ZHIYI_Q_WORKERS": "2",
            "ZHIYI_HTTP_RETRIES": "0", **extra}


def make_tasks(user, count: int, lines: int = 12) -> list[ProcessingTask]:  # type: ignore[no-untyped-def]
    text = "".join(f"Line {n} of a document the slow engine translates.\n" for n in range(lines))
    return [create_task(user_id=user.pk, upload=upload(text, f"doc{i}.txt"), engine_name="libretranslate",
                        source_lang="en", target_lang="es") for i in range(count)]


def all_ended(tasks: list[ProcessingTask]) -> bool:
    return not ProcessingTask.objects.filter(pk__in=[t.pk for t in tasks]).exclude(status__in=TERMINAL).exists()


def assert_each_charged_once(tasks: list[ProcessingTask]) -> dict[str, int]:
    outcome = {"completed": 0, "failed": 0}
    for task in ProcessingTask.objects.filter(pk__in=[t.pk for t in tasks]):
        reservations = Reservation.objects.filter(task_ref=task.pk)
        assert reservations.count() == 1, task
        reservation = reservations.get()
        reserves = LedgerEntry.objects.filter(task=task, kind="reserve").count()
        endings = LedgerEntry.objects.filter(task=task, kind__in=["settle_refund", "refund"]).count()
        assert reserves == 1 and endings <= 1
        if task.status == Status.COMPLETED:
            assert reservation.state == "settled" and reservation.charged == task.charged > 0
            lines = task.original.read().decode().count("\n")
            assert task.result.read().decode().count("LINE ") == lines  # every line, translated once
            outcome["completed"] += 1
        else:
            assert task.status == Status.FAILED and reservation.state == "refunded"
            outcome["failed"] += 1
    assert find_breaches() == []
    return outcome


def test_killing_any_process_of_the_cluster_at_random_loses_no_task(user, settings, tmp_path, real_queue):
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 5
    rng = random.Random(17)
    engine = SlowLibreTranslate(delay=0.15)
    count = 50 if is_postgres() else 12  # the production database gets the whole run
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        tasks = make_tasks(user, count)
        kills: dict[str, int] = {"busy": 0, "idle": 0, "pusher": 0, "cluster": 0}
        env = worker_env(engine, ZHIYI_TASK_MAX_ATTEMPTS="5")
        started = time.monotonic()
        with supervised_worker(log_path=tmp_path / "worker.log", **env) as supervisor:
            while not all_ended(tasks) and time.monotonic() - started < 240:
                wait_for(lambda: cluster_processes(supervisor)["pusher"], timeout=60)
                roles = cluster_processes(supervisor)
                role = rng.choice(["busy", "busy", "idle", "pusher", "cluster"])
                victims = roles["main"] + roles["pusher"] + roles["monitor"] + roles["idle"] + roles["busy"] \
                    if role == "cluster" else roles[role][:1]
                for victim in victims:
                    try:
                        victim.send_signal(signal.SIGKILL)
                    except Exception:  # noqa: BLE001 — it may have just ended by itself
                        pass
                kills[role] += bool(victims)
                done = ProcessingTask.objects.filter(pk__in=[t.pk for t in tasks], status__in=TERMINAL).count()
                wait_for(lambda d=done: all_ended(tasks) or ProcessingTask.objects.filter(
                    pk__in=[t.pk for t in tasks], status__in=TERMINAL).count() > d, timeout=120)
            wait_for(lambda: all_ended(tasks), timeout=120)
        elapsed = time.monotonic() - started
    outcome = assert_each_charged_once(tasks)
    restarts = TaskEvent.objects.filter(task__in=tasks, actor="reaper").count()
    record("worker kill", tasks=len(tasks), kills=sum(kills.values()), **{f"killed_{k}": v for k, v in kills.items()},
           completed=outcome["completed"], failed=outcome["failed"], reaper_events=restarts,
           seconds=round(elapsed, 1), breaches=0)
    assert outcome["completed"] >= len(tasks) - 2  # a task killed on each of its 5 attempts may fail, refunded


def test_a_wedged_cluster_is_detected_and_restarted(user, settings, tmp_path, real_queue):
    engine = SlowLibreTranslate(delay=0)
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        settings.ZHIYI_QUEUE_STALL_S = 4
        with supervised_worker(log_path=tmp_path / "worker.log", **worker_env(engine)) as supervisor:
            wait_for(lambda: cluster_processes(supervisor)["pusher"], timeout=60)
            frozen = [p for group in cluster_processes(supervisor).values() for p in group]
            for process in frozen:  # a wedge, made certain: nothing in the cluster moves
                process.send_signal(signal.SIGSTOP)
            [task] = make_tasks(user, 1)
            wedged_at = time.monotonic()
            response = wait_for(lambda: (r := Client().get("/healthz")).status_code == 503 and r, timeout=30)
            detected_s = time.monotonic() - wedged_at
            assert response.json()["workers"].startswith("error: stalled")
            wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == Status.COMPLETED, timeout=60)
            recovered_s = time.monotonic() - wedged_at
            assert Client().get("/healthz").status_code == 200
            assert not any(p.is_running() and p.status() != "zombie" for p in frozen)  # the old cluster is gone
    record("wedged cluster", detected_s=round(detected_s, 1), recovered_s=round(recovered_s, 1),
           stall_limit_s=4)
    assert_each_charged_once([task])


def test_sigterm_to_a_busy_worker_hands_its_task_back(user, settings, tmp_path, real_queue):
    engine = SlowLibreTranslate(delay=0.3)
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        [task] = make_tasks(user, 1, lines=40)
        with supervised_worker(log_path=tmp_path / "worker.log", **worker_env(engine)) as supervisor:
            busy = wait_for(lambda: cluster_processes(supervisor)["busy"], timeout=60)[0]
            wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).progress > 0, timeout=30)
            busy.send_signal(signal.SIGTERM)
            handed_back = wait_for(lambda: TaskEvent.objects.filter(task=task, status="queued",
                                                                  message__startswith="Handed back").first(),
                                   timeout=30)
            wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == Status.COMPLETED, timeout=120)
    task.refresh_from_db()
    assert handed_back.actor == "worker" and task.run == 2
    assert_each_charged_once([task])


def test_sigterm_to_the_cluster_lets_the_running_task_finish(user, settings, tmp_path, real_queue):
    engine = SlowLibreTranslate(delay=0.2)
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        [task] = make_tasks(user, 1, lines=24)
        with qcluster_worker(log_path=tmp_path / "worker.log", **worker_env(engine)) as cluster:
            wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).progress > 0, timeout=60)
            os.kill(cluster.pid, signal.SIGTERM)  # the cluster (its main process), as a service manager does
            cluster.wait(timeout=120)
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.run == 1
    assert_each_charged_once([task])
