from __future__ import annotations

import json
import uuid

import pytest

from tasks import services
from tasks.webhooks.signing import sign_headers
from tests.helpers import upload

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
WEBHOOK_PATH = "/api/tasks/webhook/"


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.ZHIYI_WEBHOOK_SECRET = SECRET
    settings.ZHIYI_EXTERNAL_URL = "http://127.0.0.1:9/jobs"
    settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.ZHIYI_HTTP_RETRIES = 0


def signed(event: dict | bytes, *, webhook_id: str | None = None, timestamp: int | None = None,
           secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    """A body and its Standard Webhooks headers, as Django test-client `headers=`."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    headers = sign_headers(secret=secret, webhook_id=webhook_id or f"msg_{uuid.uuid4().hex}", body=body,
                           timestamp=timestamp)
    return body, headers


def event(kind: str, external_id: str, **data) -> dict:
    return {"type": kind, "data": {"external_task_id": external_id, **data}}


@pytest.fixture
def waiting_task(user):
    """A task of the external engine, submitted and waiting for its webhook (reserved credits)."""

    def make(external_id: str = "ext_1", text: str = "汉字简体转换测试。这是第二行。"):
        task = services.create_task(user_id=user.pk, upload=upload(text), engine_name="external",
                                    source_lang="zh-Hans", target_lang="zh-Hant")
        claimed = services.claim_task(task_id=task.pk)
        services.wait_for_external(task_id=task.pk, run=claimed.run, external_id=external_id)
        task.refresh_from_db()
        return task

    return make
