from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_healthz_is_503_when_the_queue_table_cannot_be_read(client, monkeypatch):
    from django_q.models import OrmQ

    def broken(self):  # noqa: ANN001
        raise RuntimeError("relation django_q_ormq does not exist")

    monkeypatch.setattr(type(OrmQ.objects.all()), "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error: RuntimeError" and response.json()["database"] == "ok"
