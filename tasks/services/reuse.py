"""What translation memory and the glossary did for a task, recorded by the worker's run."""
from __future__ import annotations

from tasks.models import ProcessingTask, Status


def record_reuse(*, task_id: int, run: int, segments: int, memory_segments: int, glossary_terms: int) -> bool:
    """Worker: store the run's counts before it completes the task. One conditional UPDATE, so a
    run that no longer owns the task (cancelled, retried, taken over) writes nothing. It bumps no
    version and publishes nothing: the counts are read with the completed task. False when this
    run no longer owns the task."""
    return bool(ProcessingTask.objects.filter(pk=task_id, run=run, status=Status.PROCESSING).update(
        segments=segments, memory_segments=memory_segments, glossary_terms=glossary_terms))
