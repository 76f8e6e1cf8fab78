from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_quotas():
    """Throttle counters live in the cache: each test starts with full budgets."""
    cache.clear()
    yield
    cache.clear()


def create(client, content: bytes | str = "汉字简体转换测试。\n", name: str = "doc.txt", key: str | None = None,
           prefix: str = "/api/v1", **fields):
    from tests.helpers import upload

    data = {"file": upload(content, name), "engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant",
            **fields}
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"{prefix}/tasks/", data, format="multipart", **extra)
