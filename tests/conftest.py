from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _q_sync(request, monkeypatch):
    """django-q2 runs jobs in-process, unless the test asks for `real_queue` (then jobs go to
    the ORM broker, for a real qcluster subprocess to take: see tests/servers.py)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", "real_queue" not in request.fixturenames)


@pytest.fixture
def real_queue():
    """Marker fixture: enqueue into django-q2's ORM broker instead of running in-process."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty quota counters (the cache is per process and outlives tests)."""
    from django.core.cache import cache

    cache.clear()


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
