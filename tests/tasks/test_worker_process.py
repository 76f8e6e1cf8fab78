"""The whole path with a real qcluster in a subprocess (ORM broker, at-least-once delivery)."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from credits.selectors import balance_of, find_breaches
from tasks.models import ProcessingTask
from tests.helpers import SIMPLIFIED, upload
from tests.servers import qcluster_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_real_worker_translates_tasks_created_through_the_api(settings, tmp_path, real_queue):
    user = get_user_model().objects.create_user("carol", password="x")
    client = APIClient()
    client.force_authenticate(user)
    ids = []
    for n in range(3):
        response = client.post("/api/tasks/", {"file": upload(SIMPLIFIED * (n + 1)), "engine": "opencc",
                                               "source_lang": "zh-Hans", "target_lang": "zh-TW"}, format="multipart")
        assert response.status_code == 201
        ids.append(response.json()["id"])
    # The jobs wait in django-q2's ORM queue until a worker process takes them.
    assert set(ProcessingTask.objects.values_list("status", flat=True)) == {"queued"}

    with qcluster_worker(log_path=tmp_path / "qcluster.log"):
        wait_for(lambda: ProcessingTask.objects.filter(pk__in=ids, status="completed").count() == 3, timeout=60)

    for task in ProcessingTask.objects.filter(pk__in=ids):
        text = task.result.read().decode("utf-8")
        assert "漢字" in text and "簡體" in text and "发展" not in text
        assert task.attempt == 1 and task.charged == task.cost
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - sum(
        ProcessingTask.objects.values_list("charged", flat=True))
    assert find_breaches() == []
