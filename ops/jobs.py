"""Jobs of the operations app."""
from __future__ import annotations


def probe() -> str:
    """A no-op job `manage.py run_worker` sends while the queue is empty: a cluster that takes
    it is alive; one that does not is wedged (ops.figures.workers_stalled)."""
    return "ok"
