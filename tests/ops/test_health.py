from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok", "workers": "ok"}


def test_healthz_is_503_when_the_queue_table_cannot_be_read(client, monkeypatch):
    from django_q.models import OrmQ

    def broken(self):  # noqa: ANN001
        raise RuntimeError("relation django_q_ormq does not exist")

    monkeypatch.setattr(type(OrmQ.objects.all()), "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error: RuntimeError" and response.json()["database"] == "ok"


def test_healthz_is_503_when_jobs_wait_and_no_worker_shows_life(client, settings, user, task_row):
    from datetime import timedelta

    from django.utils import timezone
    from django_q.models import OrmQ, Task

    from tasks.models import ProcessingTask

    settings.ZHIYI_QUEUE_STALL_S = 60
    now = timezone.now()
    OrmQ.objects.create(key="zhiyi", payload="x", lock=now - timedelta(seconds=30))  # waiting, not for long
    assert client.get("/healthz").status_code == 200
    OrmQ.objects.update(lock=now - timedelta(seconds=90))  # waiting longer than the stall limit ...
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["workers"].startswith("error: stalled")
    metrics = client.get("/metrics").content.decode()
    assert "zhiyi_workers_stalled 1.0" in metrics
    # ... unless a worker is busy on a long task (it beats) or has just finished a job.
    busy = task_row(status="processing", heartbeat_at=now - timedelta(seconds=5))
    assert client.get("/healthz").status_code == 200
    ProcessingTask.objects.filter(pk=busy.pk).update(status="completed")
    assert client.get("/healthz").status_code == 503
    Task.objects.create(id="a" * 32, name="probe", func="ops.jobs.probe", started=now, stopped=now, success=True)
    assert client.get("/healthz").status_code == 200
