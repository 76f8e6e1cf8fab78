"""record_reuse: only the run that owns the task writes its counts."""
from __future__ import annotations

import pytest

from tasks import services
from tasks.models import ProcessingTask

pytestmark = pytest.mark.django_db


def test_the_owning_run_records_and_an_earlier_run_or_an_ended_task_does_not(task_row):
    task = task_row(status="processing", run=2)
    counts = {"segments": 40, "memory_segments": 12, "glossary_terms": 3}
    assert services.record_reuse(task_id=task.pk, run=1, **counts) is False
    assert services.record_reuse(task_id=task.pk, run=2, **counts) is True
    task.refresh_from_db()
    assert (task.segments, task.memory_segments, task.glossary_terms, task.version) == (40, 12, 3, 1)
    ProcessingTask.objects.filter(pk=task.pk).update(status="cancelled")
    assert services.record_reuse(task_id=task.pk, run=2, segments=1, memory_segments=1, glossary_terms=1) is False
