from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _q_sync(monkeypatch):
    """django-q2 runs jobs in-process unless a test starts a real qcluster (`live_worker`)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    def make(username: str = "alice", password: str = "pw-Secret-123", **extra):
        return get_user_model().objects.create_user(username=username, password=password, **extra)

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def other_user(make_user):
    return make_user("bob")


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def task_row(user):
    """A bare ProcessingTask row (no file, no reservation) for tests of the money services."""
    from tasks.models import ProcessingTask

    def make(owner=None, **fields):
        defaults = dict(engine="opencc", source_lang="zh-Hans", target_lang="zh-Hant", format="txt",
                        filename="t.txt", original="originals/none.txt")
        return ProcessingTask.objects.create(user=owner or user, **{**defaults, **fields})

    return make
