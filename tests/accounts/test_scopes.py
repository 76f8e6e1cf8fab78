"""Scoped keys: read-only keys only read, a translate key cannot manage glossaries, and so on —
enforced by one permission class on every API view."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.scopes import FULL, NO_API_KEYS, SCOPES, ApiKeyScope, key_allows, needed_scope
from tests.accounts.conftest import key_client
from tests.helpers import upload

pytestmark = pytest.mark.django_db
TASK = {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"}
GLOSSARY_CSV = "发展,發展\n"


def _create_task(client):  # type: ignore[no-untyped-def]
    return client.post("/api/tasks/", {"file": upload(), **TASK}, format="multipart")


def _upload_glossary(client):  # type: ignore[no-untyped-def]
    return client.post("/api/glossaries/", {"file": upload(GLOSSARY_CSV, "terms.csv"), "name": "T"}, format="multipart")


def test_a_read_only_key_reads_everything_and_changes_nothing(make_key, task_row):
    task = task_row(status="completed")
    _key, secret = make_key(scopes=["read"])
    client = key_client(secret)
    for path in ("/api/tasks/", f"/api/tasks/{task.pk}/", "/api/credits/", "/api/notifications/",
                 "/api/glossaries/", "/api/memory/", "/api/engines/"):
        assert client.get(path).status_code == 200, path
    created = _create_task(client)
    assert created.status_code == 403 and created.json()["code"] == "api_key_scope"
    assert "translate" in created.json()["detail"].lower()
    assert _upload_glossary(client).status_code == 403
    assert client.delete(f"/api/tasks/{task.pk}/").status_code == 403
    assert client.post("/api/quote/", {"file": upload(), **TASK}, format="multipart").status_code == 403
    assert client.delete("/api/memory/").status_code == 403
    assert client.post("/api/notifications/read-all/").status_code == 403  # a write no scope names


def test_a_translate_key_creates_tasks_but_cannot_manage_glossaries(make_key, django_capture_on_commit_callbacks):
    _key, secret = make_key(scopes=["translate"])
    client = key_client(secret)
    with django_capture_on_commit_callbacks(execute=True):
        created = _create_task(client)
    assert created.status_code == 201
    assert client.post("/api/quote/", {"file": upload(), **TASK}, format="multipart").status_code == 200
    refused = _upload_glossary(client)
    assert refused.status_code == 403 and "glossar" in refused.json()["detail"].lower()
    assert client.delete("/api/memory/").status_code == 403


def test_a_glossaries_key_manages_glossaries_but_cannot_translate(make_key):
    _key, secret = make_key(scopes=["glossaries"])
    client = key_client(secret)
    assert _upload_glossary(client).status_code == 201
    assert client.delete("/api/memory/").status_code == 200
    assert _create_task(client).status_code == 403


def test_scopes_add_up_and_an_unscoped_key_may_do_all_but_manage_keys(make_key, django_capture_on_commit_callbacks):
    _key, both = make_key(scopes=["translate", "glossaries"])
    assert _upload_glossary(key_client(both)).status_code == 201
    _key, full = make_key("full")
    client = key_client(full)
    with django_capture_on_commit_callbacks(execute=True):
        assert _create_task(client).status_code == 201
    assert client.post("/api/notifications/read-all/").status_code == 200
    assert client.get("/api/keys/").status_code == 403


def test_the_refusal_speaks_chinese(make_key):
    _key, secret = make_key(scopes=["read"])
    client = key_client(secret)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert _create_task(client).json()["detail"] == "此 API 密钥缺少“翻译：报价和任务”权限。"


def test_the_rule_itself():
    class Undeclared:
        pass

    class Translating:
        api_key_scope = "translate"

    assert needed_scope(Undeclared(), "GET") == "read" and needed_scope(Undeclared(), "POST") == FULL
    assert needed_scope(Translating(), "DELETE") == "translate" and needed_scope(Translating(), "HEAD") == "read"
    assert key_allows([], FULL) and not key_allows(["read", "translate", "glossaries"], FULL)
    assert key_allows(["read"], "read") and not key_allows(["read"], "translate")
    assert not key_allows([], NO_API_KEYS)


def _api_views(resolver=None, prefix=""):  # type: ignore[no-untyped-def]
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view_class, path = getattr(entry.callback, "cls", None), prefix + str(entry.pattern)
            if view_class is not None and issubclass(view_class, APIView) and path.startswith("api/"):
                yield path, view_class


def test_every_api_view_is_guarded_by_the_scope_check_and_declares_only_known_scopes():
    views = list(_api_views())
    assert len(views) >= 15
    for path, view_class in views:
        declared = getattr(view_class, "api_key_scope", None)
        assert declared in (None, NO_API_KEYS, *SCOPES), (path, declared)
        permissions = view_class().get_permissions() if "get_permissions" not in vars(view_class) else None
        if permissions is not None:
            kinds = {type(p) for p in permissions}
            assert ApiKeyScope in kinds or kinds == {AllowAny}, (path, kinds)
        writes = {m for m in ("post", "put", "patch", "delete") if hasattr(view_class, m)}
        if writes and declared is None:
            # Undeclared writes are for unscoped keys only: say so here when one is added.
            assert path.replace("api/v1/", "api/") in UNSCOPED_WRITES, f"{path} writes but declares no api_key_scope"


UNSCOPED_WRITES = {"api/notifications/<int:notification_id>/read/", "api/notifications/read-all/"}
