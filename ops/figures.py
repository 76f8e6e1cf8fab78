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


def credits_reserved_stale() -> int:
    """Points held by reservations whose task has not moved for ZHIYI_STALE_RESERVATION_S."""
    from credits.selectors import stale_reservations

    return stale_reservations().aggregate(total=Sum("amount", default=0))["total"]


def oldest_waiting_job_s() -> float:
    """How long the oldest job in django-q2's ORM broker has waited for a worker (0: none waits).
    A job a cluster holds has its lock in the future; a waiting one has it at its enqueue time."""
    from django.db.models import Min
    from django_q.conf import Conf
    from django_q.models import OrmQ

    if not Conf.ORM:
        return 0.0
    now = timezone.now()
    oldest = OrmQ.objects.using(Conf.ORM).filter(lock__lte=now).aggregate(oldest=Min("lock"))["oldest"]
    return (now - oldest).total_seconds() if oldest else 0.0


def last_worker_progress_s() -> float | None:
    """Seconds since a worker last showed life: finished a job, or beat while translating (None:
    never). Read from django-q2's results and our own heartbeats, so any worker machine counts."""
    from django.db.models import Max
    from django_q.models import Task

    from tasks.models import ProcessingTask, Status

    stamps = [Task.objects.aggregate(at=Max("stopped"))["at"],
              ProcessingTask.objects.filter(status=Status.PROCESSING).aggregate(at=Max("heartbeat_at"))["at"]]
    latest = max((s for s in stamps if s is not None), default=None)
    return None if latest is None else max(0.0, (timezone.now() - latest).total_seconds())


def workers_stalled() -> str:
    """Why the workers look wedged (a job has waited over ZHIYI_QUEUE_STALL_S and no worker has
    shown life for as long), or "" when they are not."""
    from django.conf import settings

    limit = settings.ZHIYI_QUEUE_STALL_S
    waited = oldest_waiting_job_s()
    if waited <= limit:
        return ""
    quiet = last_worker_progress_s()
    if quiet is not None and quiet <= limit:
        return ""
    since = "never" if quiet is None else f"{quiet:.0f} s ago"
    return f"a job has waited {waited:.0f} s and no worker has shown life since {since}"
