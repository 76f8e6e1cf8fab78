from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notify
from tasks import processor, services
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_a_completed_task_notifies_its_owner_only(api, user, other_user):
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    processor.run_task(task.pk)
    items = api.get("/api/notifications/").json()["results"]
    assert [(n["kind"], n["url"]) for n in items] == [("task_completed", f"/tasks/{task.pk}/")]
    assert "doc.txt" in items[0]["title"] and items[0]["read_at"] is None
    assert not Notification.objects.filter(user=other_user).exists()


def test_mark_one_and_all_read(api, user):
    first = notify(user_id=user.pk, kind="system", title="one")
    notify(user_id=user.pk, kind="system", title="two")
    assert api.post(f"/api/notifications/{first.pk}/read/").status_code == 200
    unread = api.get("/api/notifications/?unread=1").json()["results"]
    assert [n["title"] for n in unread] == ["two"]
    assert api.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/notifications/?unread=1").json()["results"] == []


def test_another_users_notification_is_404(user, other_user):
    theirs = notify(user_id=other_user.pk, kind="system", title="private")
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_openapi_schema_describes_the_public_paths(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/tasks/", "/api/v1/tasks/{task_id}/", "/api/v1/tasks/{task_id}/cancel/", "/api/v1/quote/",
                 "/api/v1/credits/", "/api/v1/engines/", "/api/v1/notifications/"]:
        assert path in paths, path
