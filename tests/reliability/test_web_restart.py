"""The web process restarts while clients stream: every client reconnects (with the id of the last
event it saw) and sees its task's final state; the tasks never noticed."""
from __future__ import annotations

import signal
import threading
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tasks.models import ProcessingTask, Status
from tests.engines.stub_server import SlowLibreTranslate
from tests.reliability.conftest import Follower, follow_all, metrics, record
from tests.reliability.test_workers import assert_each_charged_once, make_tasks, worker_env
from tests.servers import daphne_server, free_port, qcluster_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TASKS, STREAMS_PER_TASK = 10, 10


def test_clients_reconnect_to_a_restarted_web_process_and_see_the_final_state(settings, tmp_path, real_queue):
    user = get_user_model().objects.create_user("reconnector", password="x")
    token = Token.objects.create(user=user).key
    engine = SlowLibreTranslate(delay=0.1)
    port = free_port()
    with engine.running():
        settings.ZHIYI_LIBRETRANSLATE_URL = engine.url
        tasks = make_tasks(user, TASKS, lines=120)
        env = worker_env(engine, ZHIYI_SSE_MAX_PER_USER=str(TASKS * STREAMS_PER_TASK + 10), ZHIYI_SSE_RETRY_MS="200")
        followers = [Follower(port, f"/sse/tasks/{t.pk}/", token) for t in tasks for _ in range(STREAMS_PER_TASK)]
        with qcluster_worker(log_path=tmp_path / "worker.log", **env):
            with daphne_server(port=port, log_path=tmp_path / "web1.log", **env) as first:
                reader = threading.Thread(target=follow_all, args=(followers, 180))
                reader.start()
                wait_for(lambda: metrics(first)["zhiyi_sse_streams_open"] == len(followers), timeout=60)
                wait_for(lambda: ProcessingTask.objects.filter(status=Status.COMPLETED).exists(), timeout=60)
                running = ProcessingTask.objects.exclude(status__in=Follower.FINAL).count()
                first.process.send_signal(signal.SIGTERM)
                first.process.wait(timeout=30)
                cut = [f for f in followers if not f.done]  # streams the restart left without their end
            with daphne_server(port=urlsplit(first).port, log_path=tmp_path / "web2.log", **env):
                reader.join(timeout=180)
            wait_for(lambda: not ProcessingTask.objects.exclude(status__in=Follower.FINAL).exists(), timeout=60)
    final = dict(ProcessingTask.objects.values_list("pk", "status"))
    right = sum(f.done and f.statuses[-1] == final[int(f.path.split("/")[3])] for f in followers)
    resumed = sum(f.connects > 1 for f in followers)
    record("web restart", streams=len(followers), cut_by_restart=len(cut), tasks_running_at_restart=running,
           reconnected=resumed, streams_final=right)
    assert running > 0 and cut and right == len(followers)
    assert all(f.connects >= 2 for f in cut)  # every stream the restart cut came back by itself
    assert_each_charged_once(tasks)
