"""PostgreSQL restarts while tasks run and 200 streams are open: a fast restart, then an
immediate stop with an outage. The web process and the workers come back by themselves: every
stream shows its task's final state, no task is left queued or running, nothing was charged
twice. (The suite's own PostgreSQL is restarted; every connection of this test process is
renewed afterwards.)"""
from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, connections
from rest_framework.authtoken.models import Token

from tasks.models import ProcessingTask, Status
from tests.engines.stub_server import SlowLibreTranslate
from tests.helpers import is_postgres
from tests.reliability.conftest import Follower, follow_all, record
from tests.reliability.test_workers import assert_each_charged_once, make_tasks, worker_env
from tests.servers import daphne_server, supervised_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow,
              pytest.mark.skipif(not is_postgres(), reason="restarts PostgreSQL")]

TASKS, STREAMS_PER_TASK = 20, 10
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))


class Server:
    """pg_ctl on the server this test's database lives on."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            self.data = cursor.fetchone()[0]
        if not (PGBIN / "pg_ctl").exists() or not Path(self.data, "postmaster.opts").exists():
            pytest.skip("this PostgreSQL is not one the suite started (no pg_ctl or data directory here)")
        words = shlex.split(Path(self.data, "postmaster.opts").read_text())[1:]
        if words[:1] == ["-D"]:
            words = words[2:]
        self.options = shlex.join(words)  # as it was started: port, socket directory, settings

    def ctl(self, *args: str) -> None:
        command = [str(PGBIN / "pg_ctl"), "-D", self.data, *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the server it starts would inherit them, and waiting for their end would never end.
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)

    def restart_fast(self) -> None:
        self.ctl("restart", "-m", "fast", "-w", "-l", str(Path(self.data).parent / "server.log"))

    def stop_immediately(self) -> None:
        self.ctl("stop", "-m", "immediate", "-w")

    def start(self) -> None:
        self.ctl("start", "-w", "-o", self.options, "-l", str(Path(self.data).parent / "server.log"))


def reachable() -> bool:
    connections.close_all()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except OperationalError:
        return False


def log_lines(path: Path, text: str) -> int:
    return path.read_text(errors="replace").count(text) if path.exists() else 0


def test_streams_and_tasks_come_through_a_database_restart_and_an_outage(settings, tmp_path, real_queue):
    server = Server()
    user = get_user_model().objects.create_user("restarter", password="x")
    token = Token.objects.create(user=user).key
    engine = SlowLibreTranslate(delay=0.1)
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        tasks = make_tasks(user, TASKS, lines=40)
        env = worker_env(engine, ZHIYI_QUEUE_STALL_S="120",  # a restart must not be needed
                         ZHIYI_SSE_MAX_PER_USER=str(TASKS * STREAMS_PER_TASK + 10))
        with daphne_server(log_path=web_log, **env) as base, supervised_worker(log_path=worker_log, **env):
            port = urlsplit(base).port
            followers = [Follower(port, f"/sse/tasks/{t.pk}/", token) for t in tasks for _ in range(STREAMS_PER_TASK)]
            reader = threading.Thread(target=follow_all, args=(followers, 240))
            reader.start()
            wait_for(lambda: ProcessingTask.objects.filter(status=Status.COMPLETED).count() >= 2, timeout=60)
            server.restart_fast()
            wait_for(reachable, timeout=30)
            wait_for(lambda: ProcessingTask.objects.filter(status=Status.COMPLETED).count() >= 6, timeout=120)
            lost_before = log_lines(web_log, "stream listener lost its connection")
            server.stop_immediately()
            outage_started = time.monotonic()
            # The outage lasts until the web process has tried, and failed, to get its listener back.
            wait_for(lambda: log_lines(web_log, "stream listener lost its connection") >= lost_before + 5, timeout=60)
            outage_s = time.monotonic() - outage_started
            server.start()
            wait_for(reachable, timeout=30)
            wait_for(lambda: not ProcessingTask.objects.exclude(status__in=Follower.FINAL).exists(), timeout=180)
            reader.join(timeout=120)
            web_alive = base.process.poll() is None
    final = dict(ProcessingTask.objects.values_list("pk", "status"))
    shown = [f.statuses[-1] if f.statuses else "" for f in followers]
    right = sum(s == final[int(f.path.split("/")[3])] for f, s in zip(followers, shown))
    restarts = log_lines(worker_log, "restarting the worker cluster")
    record("database restart", streams=len(followers), tasks=TASKS, outage_s=round(outage_s, 1),
           streams_final=right, reconnects=sum(f.connects - 1 for f in followers),
           web_restarted=not web_alive, worker_restarts=restarts, stuck=sum(s not in Follower.FINAL for s in final.values()))
    assert right == len(followers)
    assert all(status == Status.COMPLETED for status in final.values())
    assert web_alive and restarts == 0
    assert_each_charged_once(tasks)
