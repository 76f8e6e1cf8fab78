from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser(user) -> Client:
    """A signed-in page client (English unless a test asks otherwise)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
