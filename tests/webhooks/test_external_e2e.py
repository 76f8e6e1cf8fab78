"""The asynchronous path with real processes: daphne serving the webhook, a qcluster worker, and
the reference external service; then concurrent and racing deliveries against real servers."""
from __future__ import annotations

import base64
import importlib.util
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from credits.models import LedgerEntry, Reservation
from credits.selectors import balance_of, find_breaches
from tasks import services
from tasks.models import ProcessingTask, Status, TaskEvent, WebhookDelivery
from tests.helpers import SIMPLIFIED, upload
from tests.servers import daphne_server, free_port, qcluster_worker, wait_for
from tests.webhooks.conftest import SECRET, WEBHOOK_PATH, event, signed
from tests.webhooks.fileserver import BODY as FILE_BODY
from tests.webhooks.fileserver import file_server
from tests.webhooks.processes import external_service_process

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
RESULT = "漢字簡體轉換測試。".encode()


def _env(**extra: str) -> dict[str, str]:
    return {"ZHIYI_WEBHOOK_SECRET": SECRET, "ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS": "1", **extra}


def test_the_reference_service_completes_a_task_through_the_signed_webhook(settings, tmp_path, real_queue):
    web_port, ext_port = free_port(), free_port()
    env = _env(ZHIYI_PUBLIC_URL=f"http://127.0.0.1:{web_port}", ZHIYI_EXTERNAL_URL=f"http://127.0.0.1:{ext_port}/jobs")
    settings.ZHIYI_EXTERNAL_URL = env["ZHIYI_EXTERNAL_URL"]
    user = get_user_model().objects.create_user("erin", password="x")
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/tasks/", {"file": upload(SIMPLIFIED), "engine": "external",
                                           "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code == 201
    task_id = response.json()["id"]

    with daphne_server(port=web_port, log_path=tmp_path / "daphne.log", **env), \
            external_service_process(secret=SECRET, port=ext_port, log_path=tmp_path / "external.log", **env), \
            qcluster_worker(log_path=tmp_path / "qcluster.log", **env):
        task = wait_for(lambda: ProcessingTask.objects.filter(pk=task_id, status__in=["completed", "failed"]).first(),
                        timeout=60)

    assert task.status == Status.COMPLETED, task.error
    text = task.result.read().decode("utf-8")
    assert "漢字" in text and "簡體" in text and "发展" not in text
    # submit → waiting_external → (webhook) → completed, each step recorded.
    history = list(TaskEvent.objects.filter(task_id=task_id).values_list("status", "actor"))
    assert history[-3:] == [("processing", "worker"), ("waiting_external", "worker"), ("completed", "webhook")]
    assert task.external_id.startswith("ext_")
    applied = WebhookDelivery.objects.filter(task_id=task_id, outcome="applied")
    assert sorted(applied.values_list("type", flat=True)) == ["task.completed", "task.progress", "task.progress"]
    # Settled: charged for the characters really billed, the rest of the reservation returned.
    reservation = Reservation.objects.get(task_ref=task_id)
    assert reservation.state == Reservation.State.SETTLED and 0 < task.charged <= task.cost
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.charged
    assert find_breaches() == []


def _waiting_task(user, external_id: str) -> ProcessingTask:
    # `real_queue`: the job waits in the broker (no worker runs); the test moves it by hand.
    task = services.create_task(user_id=user.pk, upload=upload(SIMPLIFIED), engine_name="external",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    claimed = services.claim_task(task_id=task.pk)
    services.wait_for_external(task_id=task.pk, run=claimed.run, external_id=external_id)
    return ProcessingTask.objects.get(pk=task.pk)


def _post_all(bases: list[str], deliveries: list[tuple[bytes, dict[str, str]]]) -> list[int]:
    """Send every delivery at once from its own thread, spread over the web processes."""
    def send(item: tuple[int, tuple[bytes, dict[str, str]]]) -> int:
        n, (body, headers) = item
        return httpx.post(bases[n % len(bases)] + WEBHOOK_PATH, content=body, timeout=30,
                          headers={**headers, "Content-Type": "application/json"}).status_code

    with ThreadPoolExecutor(max_workers=len(deliveries)) as pool:
        return list(pool.map(send, enumerate(deliveries)))


def _result_files(settings) -> list:
    root = settings.MEDIA_ROOT / "results"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def two_web_processes(tmp_path):
    # Two daphne processes on one database, like two replicas: the copies race across processes.
    with daphne_server(log_path=tmp_path / "daphne-1.log", **_env()) as one, \
            daphne_server(log_path=tmp_path / "daphne-2.log", **_env()) as two:
        yield [one, two]


@pytest.mark.parametrize("same_webhook_id", [True, False], ids=["one-delivery-id", "twenty-delivery-ids"])
def test_twenty_concurrent_deliveries_of_one_completed_event_settle_once(
        settings, real_queue, two_web_processes, same_webhook_id):
    user = get_user_model().objects.create_user("frank", password="x")
    task = _waiting_task(user, "ext_many")
    payload = event("task.completed", "ext_many", result_base64=base64.b64encode(RESULT).decode())
    one = signed(payload, webhook_id="msg_many")
    deliveries = [one if same_webhook_id else signed(payload) for _ in range(20)]

    statuses = _post_all(two_web_processes, deliveries)

    assert set(statuses) <= {200, 409} and statuses.count(200) >= 1
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.result.read() == RESULT
    assert TaskEvent.objects.filter(task=task, status="completed").count() == 1
    assert LedgerEntry.objects.filter(task_id=task.pk, kind__in=["settle_refund", "refund"]).count() <= 1
    assert Reservation.objects.get(task_ref=task.pk).state == Reservation.State.SETTLED
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.charged
    outcomes = list(WebhookDelivery.objects.values_list("outcome", flat=True))
    assert outcomes.count("applied") == 1 and len(outcomes) == (1 if same_webhook_id else 20)
    assert len(_result_files(settings)) == 1  # the losers' downloads were removed
    assert find_breaches() == []


def test_completed_and_failed_racing_leave_exactly_one_outcome_in_the_ledger(settings, real_queue, two_web_processes):
    user = get_user_model().objects.create_user("grace", password="x")
    tasks = [_waiting_task(user, f"ext_race_{n}") for n in range(4)]
    deliveries = []
    for task in tasks:
        for _ in range(5):
            deliveries.append(signed(event("task.completed", task.external_id,
                                           result_base64=base64.b64encode(RESULT).decode())))
            deliveries.append(signed(event("task.failed", task.external_id, error="engine crashed")))
    random.Random(6).shuffle(deliveries)

    statuses = _post_all(two_web_processes, deliveries)

    assert set(statuses) == {200}
    for task in tasks:
        task.refresh_from_db()
        reservation = Reservation.objects.get(task_ref=task.pk)
        ended = TaskEvent.objects.filter(task=task, status__in=["completed", "failed"]).count()
        assert task.status in (Status.COMPLETED, Status.FAILED) and ended == 1
        applied = WebhookDelivery.objects.filter(task=task, outcome="applied")
        assert list(applied.values_list("type", flat=True)) == [f"task.{task.status}"]
        refunds = LedgerEntry.objects.filter(task_id=task.pk, kind="refund").count()
        if task.status == Status.COMPLETED:
            assert reservation.state == Reservation.State.SETTLED and refunds == 0 and task.result
        else:
            assert reservation.state == Reservation.State.REFUNDED and refunds == 1 and not task.result
    charged = sum(t.charged for t in tasks if t.status == Status.COMPLETED)
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - charged
    assert len(_result_files(settings)) == sum(t.status == Status.COMPLETED for t in tasks)
    assert find_breaches() == []


def test_a_slow_result_download_does_not_hold_up_the_web_process(settings, real_queue, tmp_path):
    # Sync views of a daphne process share one thread; the download must wait in the event loop.
    user = get_user_model().objects.create_user("heidi", password="x")
    task = _waiting_task(user, "ext_slow")
    with file_server() as files, daphne_server(log_path=tmp_path / "daphne.log", **_env()) as web:
        body, headers = signed(event("task.completed", "ext_slow", result_url=files + "/slow"))
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(httpx.post, web + WEBHOOK_PATH, content=body, timeout=30,
                                  headers={**headers, "Content-Type": "application/json"})
            assert files.slow_started.wait(10)  # the webhook is now waiting for the 3-second download
            started = time.monotonic()
            assert httpx.get(web + "/healthz", timeout=10).status_code == 200
            assert time.monotonic() - started < 1.5 and not pending.done()
            assert pending.result().status_code == 200
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.result.read() == FILE_BODY


def _read_sse(url: str, headers: dict[str, str], seen: list[dict], timeout: float = 60) -> None:
    """Collect the `status` events of one task stream until a terminal status (or the end)."""
    event_name, data = "", []
    with httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(timeout, read=timeout)) as response:
        assert response.status_code == 200, response.status_code
        for line in response.iter_lines():
            if line.startswith("event:"):
                event_name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                if event_name in ("", "status"):
                    seen.append(json.loads("\n".join(data)))
                    if seen[-1].get("status") in ("completed", "failed", "cancelled"):
                        return
                event_name, data = "", []


@pytest.mark.skipif(importlib.util.find_spec("tasks.streams") is None,
                    reason="the SSE endpoints (tasks/streams.py) have not landed yet")
def test_the_external_task_streams_over_sse_like_any_task(settings, tmp_path, real_queue):
    web_port, ext_port = free_port(), free_port()
    env = _env(ZHIYI_PUBLIC_URL=f"http://127.0.0.1:{web_port}", ZHIYI_EXTERNAL_URL=f"http://127.0.0.1:{ext_port}/jobs")
    settings.ZHIYI_EXTERNAL_URL = env["ZHIYI_EXTERNAL_URL"]
    user = get_user_model().objects.create_user("ivan", password="pw-Secret-123")
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/tasks/", {"file": upload(SIMPLIFIED), "engine": "external",
                                           "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    task_id = response.json()["id"]
    seen: list[dict] = []
    with daphne_server(port=web_port, log_path=tmp_path / "daphne.log", **env) as web, \
            external_service_process(secret=SECRET, port=ext_port, delay_s=1.0, **env):
        token = httpx.post(web + "/api/auth/token/", json={"username": "ivan", "password": "pw-Secret-123"}).json()
        auth = {"Authorization": f"Token {token['token']}", "Accept": "text/event-stream"}
        with ThreadPoolExecutor(max_workers=1) as pool:
            reader = pool.submit(_read_sse, f"{web}/sse/tasks/{task_id}/", auth, seen)
            wait_for(lambda: seen, timeout=10)  # the snapshot arrived: the stream is live
            with qcluster_worker(log_path=tmp_path / "qcluster.log", **env):
                reader.result(timeout=60)
    statuses = [e["status"] for e in seen]
    assert statuses[0] == "queued" and statuses[-1] == "completed", statuses
    assert "waiting_external" in statuses
    versions = [e["version"] for e in seen]
    assert versions == sorted(versions) and seen[-1]["resultUrl"]
