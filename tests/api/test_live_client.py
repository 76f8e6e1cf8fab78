"""The generated client (clients/python) and the `zhiyi` command against a real daphne and a
real qcluster: token, quote, create, follow progress, download, list, delete."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from docx import Document
from zhiyi_client import AuthenticatedClient, Client
from zhiyi_client.api.auth import auth_token_create
from zhiyi_client.api.billing import usage_retrieve
from zhiyi_client.api.engines import engines_list
from zhiyi_client.api.quote import quote_create
from zhiyi_client.api.streams import streams_token_create
from zhiyi_client.api.tasks import tasks_create, tasks_destroy, tasks_list, tasks_result, tasks_retrieve
from zhiyi_client.models import (
    AuthTokenRequest,
    Error,
    MultiQuote,
    PaginatedTaskOutputList,
    QuoteUploadRequest,
    StreamTokenOptionsRequest,
    TaskOutput,
    TasksListStatus,
    TaskStatusEnum,
    TaskStatusEvent,
    TaskUploadRequest,
)
from zhiyi_client.types import File

from tests.servers import daphne_server, qcluster_worker
from tests.streams.sse_client import Stream, parse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "pw-Client-123"
TEXT = "汉字简体转换测试。\n这是第二行，包含发展与联系。\n" * 40
WORKER = {"ZHIYI_BATCH_CHARS": "200", "ZHIYI_PROGRESS_INTERVAL_S": "0.05"}


def upload() -> TaskUploadRequest:
    return TaskUploadRequest(file=File(payload=io.BytesIO(TEXT.encode()), file_name="report.txt"), engine="opencc",
                             source_lang="zh-Hans", target_lang="zh-Hant")


def test_the_generated_client_translates_a_document_end_to_end(real_queue, tmp_path):
    get_user_model().objects.create_user("client", password=PASSWORD)
    with daphne_server(log_path=tmp_path / "web.log", ZHIYI_SQLITE_POLL_S="0.05",
                       ZHIYI_CORS_ORIGINS="https://app.example.com") as base, \
            qcluster_worker(log_path=tmp_path / "worker.log", **WORKER):
        token = auth_token_create.sync(client=Client(base_url=base),
                                       body=AuthTokenRequest(username="client", password=PASSWORD)).token
        client = AuthenticatedClient(base_url=base, token=token, prefix="Token", raise_on_unexpected_status=True)
        assert "opencc" in {e.name for e in engines_list.sync(client=client) if e.available}

        quote = quote_create.sync(client=client, body=QuoteUploadRequest(
            file=File(payload=io.BytesIO(TEXT.encode()), file_name="report.txt"), engine="opencc",
            source_lang="zh-Hans", target_lang="zh-Hant"))
        assert isinstance(quote, MultiQuote) and quote.characters > 0 and quote.cost <= quote.balance

        created = tasks_create.sync_detailed(client=client, body=upload(), idempotency_key="live-1")
        assert created.status_code == 201 and isinstance(created.parsed, TaskOutput)
        task = created.parsed
        assert task.cost == quote.cost and created.headers["ratelimit-limit"]
        replay = tasks_create.sync_detailed(client=client, body=upload(), idempotency_key="live-1")
        assert replay.parsed.id == task.id and replay.headers["idempotent-replayed"] == "true"

        # Follow the progress as a browser on another origin would: a stream token in the URL.
        stream_token = streams_token_create.sync(client=client, body=StreamTokenOptionsRequest(
            path=f"/sse/tasks/{task.id}/")).token
        with httpx.stream("GET", f"{base}/sse/tasks/{task.id}/?token={stream_token}", timeout=60,
                          headers={"Origin": "https://app.example.com"}) as response:  # no Authorization header
            assert response.status_code == 200
            assert response.headers["access-control-allow-origin"] == "https://app.example.com"
            stream = parse(response.iter_lines(), Stream())
        events = [TaskStatusEvent.from_dict(json.loads(e.data)) for e in stream.events if e.event == "status"]
        assert events[-1].status == TaskStatusEnum.COMPLETED and events[-1].progress == 100
        assert [e.version for e in events] == sorted({e.version for e in events})

        done = tasks_retrieve.sync(client=client, task_id=task.id)
        assert done.status == TaskStatusEnum.COMPLETED and done.result_url == f"/api/v1/tasks/{task.id}/result/"
        result = tasks_result.sync_detailed(client=client, task_id=task.id)
        assert result.content.decode() == TEXT.replace("汉字简体转换测试", "漢字簡體轉換測試").replace(
            "这是第二行，包含发展与联系", "這是第二行，包含發展與聯繫")
        assert "report.zh-Hant.txt" in result.headers["content-disposition"]

        listed = tasks_list.sync(client=client, q="REPORT", status=TasksListStatus.COMPLETED)
        assert isinstance(listed, PaginatedTaskOutputList) and [t.id for t in listed.results] == [task.id]
        assert usage_retrieve.sync(client=client).totals.tasks == 1

        assert tasks_destroy.sync_detailed(client=client, task_id=task.id).status_code == 204
        gone = tasks_retrieve.sync(client=AuthenticatedClient(base_url=base, token=token, prefix="Token"),
                                   task_id=task.id)
        assert isinstance(gone, Error) and gone.code == "not_found"


def make_docx(path: Path) -> None:
    document = Document()
    document.add_heading("The report", level=1)
    document.add_paragraph("The house is big. The dog is in the garden.")
    document.save(path)


@pytest.mark.skipif(not Path("/usr/bin/apertium").exists(), reason="apertium is not installed")
def test_the_zhiyi_command_translates_a_docx_with_a_progress_bar(real_queue, tmp_path):
    get_user_model().objects.create_user("cli", password=PASSWORD)
    source = tmp_path / "report.docx"
    make_docx(source)
    zhiyi = str(Path(sys.executable).parent / "zhiyi")
    with daphne_server(log_path=tmp_path / "web.log", ZHIYI_SQLITE_POLL_S="0.05") as base, \
            qcluster_worker(log_path=tmp_path / "worker.log", **WORKER):
        env = {**os.environ, "ZHIYI_CONFIG": str(tmp_path / "zhiyi.json"), "ZHIYI_URL": base}
        login = subprocess.run([zhiyi, "login", "--username", "cli", "--password-stdin"], input=PASSWORD + "\n",
                               capture_output=True, text=True, env=env, timeout=60)
        assert login.returncode == 0, login.stderr
        assert (tmp_path / "zhiyi.json").stat().st_mode & 0o077 == 0
        done = subprocess.run([zhiyi, "translate", str(source), "--to", "es", "--wait"], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        target = tmp_path / "report.es.docx"
        assert done.stdout.strip() == str(target)
        assert "100%" in done.stderr and "[" in done.stderr  # the progress bar, one line per change off a tty
        text = "\n".join(p.text for p in Document(target).paragraphs)
        assert "casa" in text.lower() and "house" not in text.lower(), text

        tasks = subprocess.run([zhiyi, "tasks"], capture_output=True, text=True, env=env, timeout=60)
        assert "report.docx" in tasks.stdout and "completed" in tasks.stdout
        task_id = tasks.stdout.split()[0]
        assert subprocess.run([zhiyi, "delete", task_id], env=env, capture_output=True, timeout=60).returncode == 0
        refused = subprocess.run([zhiyi, "translate", str(source), "--to", "xx"], capture_output=True, text=True,
                                 env=env, timeout=60)
        assert refused.returncode == 1 and "no available engine" in refused.stderr
        assert httpx.get(base + "/api/v1/tasks/", headers={
            "Authorization": "Token " + json.loads((tmp_path / "zhiyi.json").read_text())["token"]}).json()["count"] == 0
