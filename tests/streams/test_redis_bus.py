"""Stream events over a real redis-server between two web processes: what one daphne (or the
worker) changes reaches the streams another daphne holds, and after Redis restarts with every
subscription lost, each stream still gets its task's final state (the listener resubscribes
and reads what it missed)."""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tasks.models import ProcessingTask
from tasks.services import cancel_task
from tests.reliability.conftest import Follower, follow_all
from tests.reliability.test_workers import make_tasks
from tests.servers import daphne_server, redis_server, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TASKS, STREAMS_PER_TASK = 6, 5


@pytest.fixture(autouse=True)
def _an_engine_nobody_calls(settings):
    settings.ZHIYI_LIBRETRANSLATE_URL = "http://127.0.0.1:9"  # no worker runs: tasks stay queued


def _follow(base: str, tasks: list[ProcessingTask], token: str) -> tuple[list[Follower], threading.Thread]:
    port = urlsplit(base).port
    followers = [Follower(port, f"/sse/tasks/{t.pk}/", token) for t in tasks for _ in range(STREAMS_PER_TASK)]
    reader = threading.Thread(target=follow_all, args=(followers, 60))
    reader.start()
    wait_for(lambda: all(f.statuses for f in followers), timeout=30)  # every stream holds its snapshot
    return followers, reader


@pytest.mark.parametrize("bus", ["redis", "channels"])
def test_a_change_on_one_web_process_reaches_the_streams_of_another(bus, tmp_path, real_queue):
    user = get_user_model().objects.create_user("fanout", password="x")
    token = Token.objects.create(user=user).key
    tasks = make_tasks(user, TASKS)  # queued, and no worker: only the cancellations below move them
    with redis_server(tmp_path) as redis:
        env = {"ZHIYI_REDIS_URL": redis.url, "ZHIYI_BUS": bus}
        with daphne_server(**env) as web_a, daphne_server(**env) as web_b:
            followers, reader = _follow(web_b, tasks, token)
            for task in tasks:
                answer = httpx.post(f"{web_a}/api/v1/tasks/{task.pk}/cancel/", timeout=10,
                                    headers={"Authorization": f"Token {token}"})
                assert answer.status_code == 200, answer.text
            reader.join(timeout=60)
    assert [f.statuses[-1] for f in followers] == ["cancelled"] * len(followers)
    assert all(f.connects == 1 for f in followers)  # delivered live, not by reconnecting


def test_streams_get_what_was_missed_while_redis_was_down(settings, tmp_path, real_queue):
    user = get_user_model().objects.create_user("outage", password="x")
    token = Token.objects.create(user=user).key
    tasks = make_tasks(user, TASKS)
    with redis_server(tmp_path) as redis:
        settings.ZHIYI_REDIS_URL, settings.ZHIYI_BUS = redis.url, "redis"
        with daphne_server(ZHIYI_REDIS_URL=redis.url) as web:  # "auto" picks redis
            followers, reader = _follow(web, tasks, token)
            redis.stop()
            for task in tasks:  # committed while nobody can be told: each publish fails (logged)
                cancel_task(task_id=task.pk)
            down_since = time.monotonic()
            redis.start()
            reader.join(timeout=60)
            caught_up_s = time.monotonic() - down_since
    assert [f.statuses[-1] for f in followers] == ["cancelled"] * len(followers)
    assert all(f.connects == 1 for f in followers)  # the streams never dropped
    print(f"redis outage: {len(followers)} streams caught up {caught_up_s:.1f} s after the cancellations")
