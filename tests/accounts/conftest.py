from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import keys


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in Chinese leaves Chinese active in this thread (LocaleMiddleware never resets
    it): give the tests that follow the default back."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def make_key(user):
    """A live key of `user` (or `owner`) and its secret."""
    def make(name: str = "script", scopes: list[str] | None = None, owner=None, **extra):  # type: ignore[no-untyped-def]
        return keys.create_key(user_id=(owner or user).pk, name=name, scopes=scopes, **extra)

    return make


def key_client(secret: str, keyword: str = "Api-Key") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client
