"""The SSE paths accept what the API accepts (streams/auth.py uses the API's authentication
classes): an API key opens a stream, and a revoked or expired one is a 401 at once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.db import connections
from django.utils import timezone

from accounts import keys
from accounts.models import ApiKey
from streams import sse
from zhiyi.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_db_thread(monkeypatch, settings):
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(sse, "_db_pool", pool)
    settings.ZHIYI_BUS = "memory"
    yield
    pool.submit(connections.close_all).result()
    pool.shutdown()


def _get(path: str, secret: str) -> dict:
    headers = [(b"authorization", f"Api-Key {secret}".encode())]
    return async_to_sync(HttpCommunicator(application, "GET", path, headers=headers).get_response)(timeout=5)


def test_an_api_key_opens_a_stream_and_stops_at_once_when_revoked_or_expired(user, task_row):
    task = task_row(status="completed", progress=100, version=3)
    key, secret = keys.create_key(user_id=user.pk, name="watcher", scopes=["read"])
    opened = _get(f"/sse/tasks/{task.pk}/", secret)
    assert opened["status"] == 200 and b"event: status" in opened["body"]
    keys.revoke_key(user_id=user.pk, prefix=key.prefix)
    assert _get(f"/sse/tasks/{task.pk}/", secret)["status"] == 401

    other, other_secret = keys.create_key(user_id=user.pk, name="short", expires_at=timezone.now() + timedelta(hours=1))
    assert _get(f"/sse/tasks/{task.pk}/", other_secret)["status"] == 200
    ApiKey.objects.filter(pk=other.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))
    assert _get(f"/sse/tasks/{task.pk}/", other_secret)["status"] == 401
