"""Streams whose clients vanish end at once: no loop keeps writing to a dead connection, and the
web process is back at rest with its memory and descriptors."""
from __future__ import annotations

import os
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tasks import services
from tests.helpers import is_postgres, upload
from tests.reliability.conftest import get_then_reset, metrics, open_fds, record, rss_kib, ticks_over
from tests.servers import daphne_server, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

def cycles() -> int:
    """20,000 on PostgreSQL (the production database); a tenth of that on SQLite, whose half of the
    suite proves the same thing; ZHIYI_SOAK=1 runs 100,000."""
    if os.environ.get("ZHIYI_SOAK") == "1":
        return 100_000
    return 20_000 if is_postgres() else 2_000


def test_streams_reset_before_or_while_reading_end_and_leave_nothing_running(tmp_path, real_queue):
    user = get_user_model().objects.create_user("churner", password="x")
    token = Token.objects.create(user=user).key
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    total = cycles()
    env = {"ZHIYI_SSE_HEARTBEAT_S": "0.2", "ZHIYI_SSE_MAX_PER_USER": str(total * 2)}
    with daphne_server(log_path=tmp_path / "web.log", **env) as base:
        pid, port = base.process.pid, urlsplit(base).port
        for n in range(200):  # warm up: the stream pool's threads open their database connections
            get_then_reset(port, f"/sse/tasks/{task.pk}/", token, read_first=bool(n % 2))
        wait_for(lambda: metrics(base)["zhiyi_sse_loops_running"] == 0, timeout=10)
        rss_before, fds_before = rss_kib(pid), open_fds(pid)
        started = time.monotonic()
        for n in range(total):
            path = f"/sse/tasks/{task.pk}/" if n % 2 else "/sse/tasks/"
            get_then_reset(port, path, token, read_first=bool(n % 4 >= 2))
        churn_s = time.monotonic() - started
        # Every stream ends by itself within a second or two (daphne would only cancel an
        # application 10 s after its client left).
        wait_for(lambda: metrics(base)["zhiyi_sse_loops_running"] == 0, timeout=3, interval=0.2)
        figures = metrics(base)
        at_rest = ticks_over(pid, 1.0)
        rss_after, fds_after = rss_kib(pid), open_fds(pid)
    record("stream churn", cycles=total, churn_s=round(churn_s, 1), cpu_ticks_at_rest_per_s=at_rest,
           rss_growth_kib=rss_after - rss_before, fd_growth=fds_after - fds_before,
           streams_open=figures["zhiyi_sse_streams_open"])
    assert figures["zhiyi_sse_streams_open"] == 0
    assert at_rest <= 5  # ticks of 10 ms in a second: idle but for the bus poller
    assert fds_after - fds_before <= 5
    assert rss_after - rss_before < 5 * 1024
