from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from ops import figures


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_queue() -> str:
    """The django-q2 broker answers. For the ORM broker that is its table on its database,
    read directly (the broker's own connection helper closes old connections mid-request)."""
    from django_q.conf import Conf

    if Conf.ORM:
        from django_q.models import OrmQ

        OrmQ.objects.using(Conf.ORM).exists()
        return "ok"
    from django_q.brokers import get_broker

    return "ok" if get_broker().ping() else "error: broker did not answer"


def _check_workers() -> str:
    """The workers take jobs: a cluster wedged by a killed process (or stopped) shows as jobs
    that wait while no worker shows life (ops.figures.workers_stalled)."""
    stalled = figures.workers_stalled()
    return f"error: stalled, {stalled}" if stalled else "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness plus dependencies: 200 when the database and the task queue answer and the
    workers take jobs, 503 otherwise."""
    checks = {}
    for name, check in (("database", _check_database), ("queue", _check_queue), ("workers", _check_workers)):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 — any failure means "not healthy"
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
