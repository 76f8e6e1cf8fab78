"""Stopping a process loses nothing: a web process told to stop ends every stream with a
jittered `retry:` (clients spread their reconnects), and a worker told to stop finishes its task
or hands it back."""
from __future__ import annotations

import signal
import threading

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tasks import services
from tests.helpers import upload
from tests.reliability.conftest import metrics, record
from tests.servers import daphne_server, wait_for
from tests.streams.sse_client import read

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

STREAMS = 40


def test_sigterm_to_daphne_ends_every_stream_with_a_jittered_retry(tmp_path, real_queue):
    user = get_user_model().objects.create_user("leaver", password="x")
    token = Token.objects.create(user=user).key
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")  # stays queued: the streams stay open
    results: list = []
    env = {"ZHIYI_SSE_RETRY_MS": "1000", "ZHIYI_SSE_MAX_PER_USER": str(STREAMS + 5)}
    with daphne_server(log_path=tmp_path / "web.log", **env) as base:
        readers = [threading.Thread(target=lambda: results.append(read(f"{base}/sse/tasks/{task.pk}/", token=token,
                                                                      timeout=30)))
                   for _ in range(STREAMS)]
        for reader in readers:
            reader.start()
        wait_for(lambda: metrics(base)["zhiyi_sse_streams_open"] == STREAMS, timeout=30)
        base.process.send_signal(signal.SIGTERM)
        for reader in readers:
            reader.join(timeout=30)
        code = base.process.wait(timeout=30)
    retries = sorted(stream.retry[-1] for status, stream in results)
    record("web drain on SIGTERM", streams=STREAMS, exit_code=code, retry_min_ms=retries[0],
           retry_max_ms=retries[-1], distinct_retries=len(set(retries)))
    assert len(results) == STREAMS and all(status == 200 and stream.ended for status, stream in results)
    # Each stream's last word is a new retry: the first one it got (1,000 ms) plus 0–5 s of jitter.
    assert all(len(stream.retry) == 2 for _, stream in results)
    assert 1000 <= retries[0] and retries[-1] <= 6000 and len(set(retries)) > STREAMS // 4
    assert code == 0
