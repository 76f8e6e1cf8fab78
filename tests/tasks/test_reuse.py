"""What memory and the glossary did is saved by the run that completes the task, with it."""
from __future__ import annotations

import pytest

from tasks import processor, services
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_the_completing_run_saves_its_counts_and_a_run_that_lost_the_task_saves_nothing(user):
    task = services.create_task(user_id=user.pk, upload=upload("简体中文。\n第二行。\n"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    claimed = services.claim_task(task_id=task.pk)
    counts = {"segments": 40, "memory_segments": 12, "glossary_terms": 3}
    assert services.complete_task(task_id=task.pk, run=claimed.run + 1, result_name="x", characters=1,
                                  reuse=counts) is False
    task.refresh_from_db()
    assert (task.status, task.segments) == ("processing", None)
    assert services.complete_task(task_id=task.pk, run=claimed.run, result_name="x", characters=1, reuse=counts)
    task.refresh_from_db()
    assert (task.status, task.segments, task.memory_segments, task.glossary_terms) == ("completed", 40, 12, 3)


def test_the_worker_counts_what_memory_served(user):
    first = services.create_task(user_id=user.pk, upload=upload("简体中文。\n第二行。\n"), engine_name="opencc",
                                 source_lang="zh-Hans", target_lang="zh-Hant")
    processor.run_task(first.pk)
    again = services.create_task(user_id=user.pk, upload=upload("简体中文。\n第三行。\n"), engine_name="opencc",
                                 source_lang="zh-Hans", target_lang="zh-Hant")
    processor.run_task(again.pk)
    again.refresh_from_db()
    assert (again.status, again.segments, again.memory_segments, again.glossary_terms) == ("completed", 2, 1, 0)
