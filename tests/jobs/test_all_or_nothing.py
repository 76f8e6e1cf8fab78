"""All or nothing under races and for any mix of documents: a job exists whole, with its tasks,
files and reservations, and the balance moved by exactly its cost — or nothing moved at all."""
from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits.models import Reservation
from credits.selectors import balance_of, find_breaches
from credits.services import InsufficientCredits
from jobs import services
from jobs.errors import DocumentsRefused
from jobs.models import Job
from tasks.models import ProcessingTask
from tests.credits.test_concurrency import run_together
from tests.jobs.helpers import SRT, TXT, file, zipped


def _media_count(settings) -> int:
    return sum(len(files) for _, _, files in os.walk(settings.MEDIA_ROOT))


@pytest.mark.django_db(transaction=True)
def test_two_jobs_racing_for_one_balance_one_wins_whole(settings, real_queue):
    settings.ZHIYI_WELCOME_CREDITS = 1000
    settings.ZHIYI_MIN_CHARGE = 100  # each job: 3 documents × 2 languages = 600 points
    user = get_user_model().objects.create_user("racer")
    balance_of(user_id=user.pk)

    def create():
        return services.create_job(user_id=user.pk, uploads=[file("a.txt", TXT), file("b.srt", SRT),
                                                              file("c.txt", TXT + b"\xe5\x86\x8d")],
                                   engine_name="opencc", source_lang="zh-Hans", target_langs=["zh-Hant", "zh-TW"])

    results = run_together([create, create])
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["InsufficientCredits", "Job"], results
    refused = next(r for r in results if isinstance(r, InsufficientCredits))
    assert refused.cost == 600
    assert balance_of(user_id=user.pk) == 400
    assert ProcessingTask.objects.count() == 6 and Job.objects.count() == 1
    assert Reservation.objects.count() == 6
    assert _media_count(settings) == 6  # the loser's files are gone
    assert find_breaches() == []


GOOD = [("a.txt", TXT), ("b.srt", SRT), ("c.txt", TXT + "再".encode())]
BAD = [("empty.txt", b""), ("blank.txt", b" \n"), ("x.png", b"\x89PNG\r\n\x1a\n0000"), ("bad.srt", b"\xff\xfe\xfa")]
documents = st.lists(st.sampled_from(GOOD + BAD), min_size=1, max_size=5)


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=documents, in_zip=st.booleans(), welcome=st.integers(0, 60), minimum=st.integers(1, 20),
       targets=st.lists(st.sampled_from(["zh-Hant", "zh-TW", "zh-HK"]), min_size=1, max_size=3))
def test_a_job_is_created_whole_or_not_at_all(docs, in_zip, welcome, minimum, targets, settings, real_queue):
    settings.ZHIYI_WELCOME_CREDITS = welcome
    settings.ZHIYI_MIN_CHARGE = minimum
    try:
        with transaction.atomic():  # each example starts from an empty database
            _check_one(docs, in_zip, targets, settings)
            raise _Rollback
    except _Rollback:
        pass


def _check_one(docs, in_zip, targets, settings) -> None:
    user = get_user_model().objects.create_user("prop")
    before, files_before = balance_of(user_id=user.pk), _media_count(settings)
    if in_zip:
        uploads = [zipped({f"{i}/{name}": data for i, (name, data) in enumerate(docs)})]
    else:
        uploads = [file(name, data) for name, data in docs]
    try:
        job = services.create_job(user_id=user.pk, uploads=uploads, engine_name="opencc", source_lang="zh-Hans",
                                  target_langs=targets)
    except (DocumentsRefused, InsufficientCredits) as exc:
        assert ProcessingTask.objects.filter(user=user).count() == 0
        assert not Job.objects.filter(user=user).exists()
        assert not Reservation.objects.filter(account__user=user).exists()
        assert balance_of(user_id=user.pk) == before
        assert _media_count(settings) == files_before
        if isinstance(exc, DocumentsRefused):
            assert exc.refused and any(name for name, data in docs if (name, data) in BAD)
        return
    tasks = ProcessingTask.objects.filter(job_link__job=job)
    assert not any((name, data) in BAD for name, data in docs)
    assert tasks.count() == len(docs) * len(set(targets))
    assert before - balance_of(user_id=user.pk) == sum(t.cost for t in tasks)
    assert _media_count(settings) == files_before + tasks.count()
    assert find_breaches() == []
