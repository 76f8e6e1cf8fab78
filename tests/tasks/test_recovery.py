"""The worker's ways back from trouble, in-process: a retryable engine failure backs off and tries
again while attempts last; a queued task whose job was lost gets a new one; a cancelled run is
shut out when its task is retried at once; held points are flagged when nothing moves."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import OrmQ

from credits.selectors import balance_of, find_breaches, stale_reservations
from tasks import processor, services
from tasks.errors import TaskNoLongerOurs
from tasks.jobs import reap
from tasks.models import ProcessingTask, Status, TaskEvent
from tests.engines.stub_server import Reply, StubServer
from tests.helpers import upload

pytestmark = pytest.mark.django_db

TEXT = "".join(f"Line {n} of the document.\n" for n in range(8))


@pytest.fixture
def libretranslate(settings):
    def start(replies: list[Reply]) -> StubServer:
        stub = StubServer(replies)
        settings.ZHIYI_LIBRETRANSLATE_URL = stub.url
        settings.ZHIYI_HTTP_RETRIES = 0
        return stub

    return start


def create(user) -> ProcessingTask:  # type: ignore[no-untyped-def]
    return services.create_task(user_id=user.pk, upload=upload(TEXT), engine_name="libretranslate",
                                source_lang="en", target_lang="es")


def ok(request: dict) -> Reply:
    return Reply(body={"translatedText": [s.upper() for s in request["body"]["q"]]})


def test_an_engine_that_is_briefly_down_is_tried_again_with_backoff(user, settings, libretranslate):
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 3
    settings.ZHIYI_RETRY_BACKOFF_S = 20
    answers = iter([Reply(status=503, body={"error": "down"}), Reply(status=503, body={"error": "down"})])
    with libretranslate(lambda request: next(answers, None) or ok(request)):
        task = create(user)
        reserved = balance_of(user_id=user.pk)
        processor.run_task(task.pk)
        task.refresh_from_db()
        assert (task.status, task.attempt, task.message_code) == (Status.QUEUED, 1, "retrying")
        assert task.message == "The engine is unavailable; retrying in 20 s"
        assert timedelta(seconds=19) < task.retry_at - timezone.now() <= timedelta(seconds=20)
        assert services.claim_task(task_id=task.pk) is None  # too early: it waits its turn
        assert reap().sent_again == []
        ProcessingTask.objects.filter(pk=task.pk).update(retry_at=timezone.now())  # the time has come
        assert reap().sent_again == [task.pk]
        processor.run_task(task.pk)  # (the job the reaper sent; run here in-process)
        task.refresh_from_db()
        assert (task.status, task.attempt, task.message) == (Status.QUEUED, 2, "The engine is unavailable; "
                                                                                "retrying in 40 s")
        ProcessingTask.objects.filter(pk=task.pk).update(retry_at=timezone.now())
        reap()
        processor.run_task(task.pk)
    task.refresh_from_db()
    assert (task.status, task.attempt) == (Status.COMPLETED, 3)
    assert balance_of(user_id=user.pk) == reserved + task.cost - task.charged  # one reservation, settled once
    assert find_breaches() == []


def test_past_the_attempt_limit_a_retryable_failure_fails_and_refunds(user, settings, libretranslate):
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 2
    with libretranslate([Reply(status=503, body={"error": "down"})]):
        task = create(user)
        processor.run_task(task.pk)
        ProcessingTask.objects.filter(pk=task.pk).update(retry_at=timezone.now())
        reap()
        processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == Status.FAILED and "503" in task.error
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert find_breaches() == []


def test_a_queued_task_whose_job_is_gone_gets_a_new_one_after_the_grace(user, settings, real_queue):
    settings.ZHIYI_QUEUED_GRACE_S = 300
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    assert OrmQ.objects.count() == 1  # its job, written with the task
    old = timezone.now() - timedelta(seconds=301)
    ProcessingTask.objects.filter(pk=task.pk).update(updated_at=old)
    assert reap().sent_again == []  # its job still waits in the queue: nothing to do
    OrmQ.objects.all().delete()  # a worker took the job and failed before its claim (database down)
    ProcessingTask.objects.filter(pk=task.pk).update(updated_at=timezone.now() - timedelta(seconds=100))
    assert reap().sent_again == []  # within the grace: not yet
    ProcessingTask.objects.filter(pk=task.pk).update(updated_at=old)
    assert reap().sent_again == [task.pk]
    assert [job.name() for job in OrmQ.objects.all()] == [f"translate-{task.pk}"]
    assert TaskEvent.objects.filter(task=task, actor="reaper", message="Sent to a worker again").exists()
    assert reap().sent_again == []  # once: the task moved, its grace starts again


def test_a_job_a_cluster_took_and_lost_is_released_after_the_grace(user, settings, real_queue):
    settings.ZHIYI_QUEUED_GRACE_S = 300
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    retry = timedelta(seconds=settings.Q_CLUSTER["retry"])
    now = timezone.now()
    ProcessingTask.objects.filter(pk=task.pk).update(updated_at=now - timedelta(seconds=301))
    OrmQ.objects.update(lock=now - timedelta(seconds=10) + retry)  # taken 10 s ago: a worker may be on it
    report = reap()
    assert (report.sent_again, report.released) == ([], [])
    OrmQ.objects.update(lock=now - timedelta(seconds=400) + retry)  # taken 400 s ago and never acknowledged
    report = reap()
    assert (report.sent_again, report.released) == ([], [task.pk])
    assert OrmQ.objects.get().lock <= timezone.now()  # deliverable again, not in another 260 s


def test_a_run_cancelled_then_retried_at_once_is_shut_out(user):
    task = services.create_task(user_id=user.pk, upload=upload(TEXT), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    old = services.claim_task(task_id=task.pk)  # a worker runs it ...
    services.cancel_task(task_id=task.pk)  # ... the user cancels, and retries at once
    services.retry_task(task_id=task.pk)
    new = services.claim_task(task_id=task.pk)
    assert (old.attempt, new.attempt) == (1, 1) and new.run == old.run + 1
    with pytest.raises(TaskNoLongerOurs):  # the old run stops at its next step ...
        services.update_progress(task_id=task.pk, run=old.run, progress=50, done=1, total=2)
    assert services.complete_task(task_id=task.pk, run=old.run, result_name="x", characters=1) is False
    assert services.fail_task(task_id=task.pk, run=old.run, error="late") is False
    services.update_progress(task_id=task.pk, run=new.run, progress=50, done=1, total=2)  # ... the new one goes on
    assert services.complete_task(task_id=task.pk, run=new.run, result_name="r.txt", characters=10) is True
    assert find_breaches() == []


def test_points_held_by_a_task_that_does_not_move_are_flagged(user, settings, capsys):
    settings.ZHIYI_STALE_RESERVATION_S = 3600
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    assert not stale_reservations().exists()
    call_command("reconcile_credits")
    long_ago = timezone.now() - timedelta(hours=2)
    ProcessingTask.objects.filter(pk=task.pk).update(updated_at=long_ago)
    task.reservations.update(created_at=long_ago)
    assert list(stale_reservations().values_list("task_ref", flat=True)) == [task.pk]
    with pytest.raises(CommandError) as stopped:
        call_command("reconcile_credits")
    assert stopped.value.returncode == 2 and f"of task {task.pk} holds {task.cost}" in capsys.readouterr().err
