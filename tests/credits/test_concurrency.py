"""Money under concurrency: real threads, real transactions, each on its own connection."""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from credits.models import LedgerEntry
from credits.selectors import balance_of, find_breaches
from tasks import services
from tasks.errors import InvalidTransition
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(functions) -> list:
    """Start every function at the same instant in its own thread; return results/exceptions."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index, fn):
        try:
            barrier.wait()
            results[index] = fn()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each call raised
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_twenty_concurrent_tasks_on_an_account_for_ten(settings, real_queue):
    settings.ZHIYI_WELCOME_CREDITS = 100
    settings.ZHIYI_MIN_CHARGE = 10  # every task below costs exactly 10
    user = get_user_model().objects.create_user("racer")
    balance_of(user_id=user.pk)

    def create():
        return services.create_task(user_id=user.pk, upload=upload("简体"), engine_name="opencc",
                                    source_lang="zh-Hans", target_lang="zh-Hant")

    results = run_together([create] * 20)
    outcomes = Counter(type(r).__name__ for r in results)
    assert outcomes == {"ProcessingTask": 10, "InsufficientCredits": 10}, results
    assert balance_of(user_id=user.pk) == 0
    assert ProcessingTask.objects.count() == 10
    assert find_breaches() == []


def test_complete_cancel_and_fail_racing_have_one_winner(settings, real_queue, tmp_path):
    settings.ZHIYI_WELCOME_CREDITS = 1000
    user = get_user_model().objects.create_user("racer")
    for _ in range(5):
        task = services.create_task(user_id=user.pk, upload=upload("简体中文"), engine_name="opencc",
                                    source_lang="zh-Hans", target_lang="zh-Hant")
        claimed = services.claim_task(task_id=task.pk)
        results = run_together([
            lambda: services.complete_task(task_id=task.pk, run=claimed.run, result_name="r.txt",
                                           characters=task.characters),
            lambda: services.cancel_task(task_id=task.pk),
            lambda: services.fail_task(task_id=task.pk, error="boom"),
        ])
        completed = results[0] is True
        cancelled = isinstance(results[1], ProcessingTask)
        failed = results[2] is True
        assert completed + cancelled + failed == 1, results
        if not cancelled:
            assert isinstance(results[1], InvalidTransition)
        task.refresh_from_db()
        endings = LedgerEntry.objects.filter(task=task, kind__in=["refund", "settle_refund"])
        assert task.status == ("completed" if completed else "cancelled" if cancelled else "failed")
        assert endings.filter(kind="refund").count() == (0 if completed else 1)
        assert task.reservations.get().state == ("settled" if completed else "refunded")
    assert find_breaches() == []
