"""/metrics: Prometheus text, figures read from the database."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tasks.services import cancel_task, create_task
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def scrape(client) -> dict[tuple[str, tuple], float]:  # noqa: ANN001
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.content.decode()) for s in family.samples}


def test_metrics_count_tasks_credits_and_queue(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # runs in-process: completed at once
        done = create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                           target_lang="zh-Hant")
    pending = create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                          target_lang="zh-Hant")
    done.refresh_from_db()
    m = scrape(client)
    assert m[("zhiyi_tasks_created_total", (("engine", "opencc"),))] == 2
    assert m[("zhiyi_tasks_completed_total", (("engine", "opencc"),))] == 1
    assert m[("zhiyi_tasks", (("status", "queued"),))] == 1
    assert m[("zhiyi_task_duration_seconds_count", ())] == 1
    assert m[("zhiyi_task_duration_seconds_bucket", (("le", "+Inf"),))] == 1
    assert m[("zhiyi_credits_reserved_total", ())] == done.cost + pending.cost
    assert m[("zhiyi_credits_charged_total", ())] == done.charged
    assert m[("zhiyi_credits_in_flight", ())] == pending.cost
    assert ("zhiyi_queue_depth", ()) in m
    cancel_task(task_id=pending.pk)
    m = scrape(client)
    assert m[("zhiyi_credits_refunded_total", ())] >= pending.cost
    assert m[("zhiyi_credits_in_flight", ())] == 0


def test_metrics_token_is_required_when_set(client, settings):
    settings.ZHIYI_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200
