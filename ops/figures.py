"""Read-only figures about the running platform, shared by the admin operations page,
/metrics and /healthz. Every figure except the stream count comes from the database, so it is
the same whichever web process answers and includes what worker processes did."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone


def queue_depth() -> int:
    """Jobs waiting in django-q2's ORM broker (including ones a worker holds right now)."""
    from django_q.models import OrmQ

    return OrmQ.objects.count()


def open_streams() -> int:
    """Open SSE connections in *this* process (the registry is per process)."""
    from streams.registry import registry

    return registry.connection_count()


def tasks_per_status() -> dict[str, int]:
    from tasks.models import ProcessingTask, Status

    counts = dict(ProcessingTask.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in Status.values}


def failures_since(*, since: timedelta = timedelta(hours=1)) -> int:
    """Task failures (each failed round counts, also ones retried since) in the window."""
    from tasks.models import Status, TaskEvent

    return TaskEvent.objects.filter(status=Status.FAILED, created_at__gte=timezone.now() - since).count()


def credits_in_flight() -> int:
    """Points debited by reservations that have not ended yet."""
    from credits.models import Reservation

    return Reservation.objects.filter(state=Reservation.State.RESERVED).aggregate(
        total=Sum("amount", default=0))["total"]
