from __future__ import annotations

import faulthandler
import os
import sys
import threading

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
def _site_language():
    """Each test starts and ends in the site's language: a request's LocaleMiddleware leaves the
    language it activated on the thread, which would leak into the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


# The suite runs on SQLite and on PostgreSQL at once (scripts/test.sh). What does not depend on
# the database runs in one half only, and the reliability suite's runs against real processes
# under load run on the production database; everything else runs in both.
SQLITE_HALF_ONLY = (
    "tests/documents/", "tests/engines/", "tests/corpus/", "tests/e2e/", "tests/test_layering.py",
    "tests/test_suite_exits.py",
    "tests/streams/test_framing_and_registry.py", "tests/api/test_live_client.py", "tests/api/test_docs.py",
    "tests/reliability/test_hostile_uploads.py", "tests/reliability/test_file_names.py",
    "tests/reliability/test_shutdown.py", "tests/ops/test_alerts.py", "tests/tasks/test_queue_db.py",
)
POSTGRES_HALF_ONLY = (
    "tests/reliability/test_workers.py", "tests/reliability/test_load.py", "tests/reliability/test_database_restart.py",
    "tests/reliability/test_web_restart.py", "tests/reliability/test_money_and_webhooks.py",
    "tests/reliability/test_stream_churn.py",
)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    import os

    on_postgres = (os.environ.get("DATABASE_URL") or "").startswith(("postgres", "pgsql"))
    only_other, reason = (SQLITE_HALF_ONLY, "does not depend on the database: the SQLite half runs it") \
        if on_postgres else (POSTGRES_HALF_ONLY, "runs against PostgreSQL, the production database: the "
                                                 "PostgreSQL half runs it")
    skip = pytest.mark.skip(reason=reason)
    root = str(config.rootpath) + "/"
    for item in items:
        if str(item.fspath).removeprefix(root).startswith(only_other):
            item.add_marker(skip)


_EXIT_STATUS = pytest.StashKey[int]()


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    """A thread a failed test left running (a stream reader's event loop, say) must not keep the
    interpreter from exiting once the suite is over, or the run never ends: name it, show where it
    is, and exit with the suite's status."""
    frames = sys._current_frames()

    def idle_pool_worker(thread: threading.Thread) -> bool:  # concurrent.futures ends these itself at exit
        frame = frames.get(thread.ident or 0)
        return frame is not None and frame.f_code.co_name == "_worker" and \
            frame.f_code.co_filename.endswith(os.path.join("concurrent", "futures", "thread.py"))

    left = [t for t in threading.enumerate() if t is not threading.main_thread() and t.is_alive() and not t.daemon
            and not idle_pool_worker(t)]
    if not left:
        return
    sys.stderr.write(f"\nthreads left running after the suite: {', '.join(t.name for t in left)}\n")
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash.get(_EXIT_STATUS, 1))
