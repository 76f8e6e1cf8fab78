"""Turns without a cluster: who is sent when, through cancel and the reaper."""
from __future__ import annotations

import pytest

from jobs import services as jobs
from tasks import services
from tasks.jobs import reap
from tasks.models import ProcessingTask
from tests.jobs.helpers import TXT, file

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_of_five(user, settings, real_queue):
    settings.ZHIYI_TURNS_PER_USER = 2
    job = jobs.create_job(user_id=user.pk, uploads=[file(f"{n}.txt", TXT + str(n).encode()) for n in range(5)],
                          engine_name="opencc", source_lang="zh-Hans", target_langs=["zh-Hant"])
    return ProcessingTask.objects.filter(job_link__job=job).order_by("id")


def test_a_job_sends_its_users_share_and_keeps_the_rest_waiting(job_of_five):
    assert [t.waiting_turn for t in job_of_five] == [False, False, True, True, True]
    from django_q.models import OrmQ

    assert OrmQ.objects.count() == 2  # only the sent ones are in the broker


def test_cancelling_a_task_that_held_a_turn_passes_it_on(job_of_five):
    first = job_of_five[0]
    services.cancel_task(task_id=first.pk)
    assert job_of_five.filter(waiting_turn=True).count() == 2


def test_the_reaper_passes_on_a_turn_a_lost_run_never_did(job_of_five):
    sent = [t.pk for t in job_of_five if not t.waiting_turn]
    ProcessingTask.objects.filter(pk__in=sent).update(status="completed")  # ended without passing the turn
    report = reap()
    assert len(report.turns_sent) == 2 and job_of_five.filter(waiting_turn=True).count() == 1
    assert not set(report.sent_again) & {t.pk for t in job_of_five}  # waiting is not lost


def test_another_users_single_task_is_sent_at_once(job_of_five, other_user):
    from tests.helpers import upload

    task = services.create_task(user_id=other_user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    assert not task.waiting_turn
