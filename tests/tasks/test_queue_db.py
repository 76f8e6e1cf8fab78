"""SQLite with django-q2's tables in a file of their own (ZHIYI_SQLITE_QUEUE_DB=1): the job goes
to the queue file after the task's commit, a real qcluster takes it from there, and the main
file holds no django_q table. Its own database files (the settings are read at start-up)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.servers import ROOT, wait_for

pytestmark = pytest.mark.slow

CREATE = """
import django; django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
call_command("migrate", database="queue", verbosity=0)
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from credits import services as credits
from tasks import services
user = get_user_model().objects.create_user("q")
credits.grant(user_id=user.pk, amount=10**6, reason="test")
task = services.create_task(user_id=user.pk, upload=SimpleUploadedFile("a.txt", "简体中文".encode()),
                            engine_name="opencc", source_lang="zh-Hans", target_lang="zh-Hant")
from django.db import connections
print(connections["default"].connection is not None, connections["queue"].connection is not None)
print(task.pk)
"""


def test_the_queue_in_its_own_sqlite_file_carries_a_task_to_completion(tmp_path):
    main, queue = tmp_path / "zhiyi.sqlite3", tmp_path / "zhiyi-queue.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "zhiyi.settings", "DATABASE_URL": f"sqlite:///{main}",
           "ZHIYI_SQLITE_QUEUE_DB": "1", "MEDIA_ROOT": str(tmp_path / "media"), "DB_CONN_MAX_AGE": "600"}
    # Created as a web process would (connections not kept between requests): sending the job after
    # the commit must not close the process's connections in passing (the ORM broker's
    # close_old_connections does, outside a transaction), or every creation reconnects twice.
    out = subprocess.check_output([sys.executable, "-c", CREATE], cwd=ROOT, env={**env, "DB_CONN_MAX_AGE": "0"},
                                  text=True).split()
    assert out[-3:-1] == ["True", "True"]
    task_id = int(out[-1])
    with sqlite3.connect(main) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'django_q%'").fetchall()
    with sqlite3.connect(queue) as db:
        assert db.execute("SELECT count(*) FROM django_q_ormq").fetchone()[0] == 1  # enqueued after the commit
    worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def status() -> str:
            with sqlite3.connect(main) as db:
                return db.execute("SELECT status FROM tasks_processingtask WHERE id = ?", [task_id]).fetchone()[0]

        wait_for(lambda: status() == "completed", timeout=60)
    finally:
        worker.terminate()
        worker.wait(20)
    with sqlite3.connect(queue) as db:
        assert db.execute("SELECT count(*) FROM django_q_task WHERE success = 1").fetchone()[0] >= 1
