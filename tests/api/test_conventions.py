"""One error shape, one pagination, one version prefix (with the /api/ alias) across the API."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lib.api import ERROR_CODES
from memory.models import Glossary
from notifications.services import notify
from tasks.models import ProcessingTask
from tests.api.conftest import create

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert isinstance(body["detail"], str) and body["detail"]
    assert code in ERROR_CODES or code == "server_error"
    return body


def test_unknown_paths_and_foreign_resources_are_json_404s(api, other_user, task_row):
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api.get("/api/nothing-here/"), 404, "not_found")
    theirs = task_row(owner=other_user)
    for path in (f"/api/v1/tasks/{theirs.pk}/", f"/api/v1/tasks/{theirs.pk}/result/", "/api/v1/tasks/999999/"):
        assert_error(api.get(path), 404, "not_found")
    assert_error(api.delete("/api/v1/glossaries/999999/"), 404, "not_found")
    assert_error(api.post("/api/v1/notifications/999999/read/"), 404, "not_found")
    # Pages keep their HTML 404.
    assert "text/html" in api.get("/no-such-page/")["Content-Type"]


def test_auth_method_parse_and_media_errors_have_codes(api, user):
    anonymous = APIClient()
    body = assert_error(anonymous.get("/api/v1/tasks/"), 401, "not_authenticated")
    assert anonymous.get("/api/v1/tasks/")["WWW-Authenticate"] == "Api-Key"  # the recommended credential
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(bad.get("/api/v1/tasks/"), 401, "authentication_failed")
    assert body["detail"]
    assert_error(api.put("/api/v1/tasks/"), 405, "method_not_allowed")
    assert_error(api.post("/api/v1/streams/token/", "{not json", content_type="application/json"), 400, "parse_error")
    assert_error(api.post("/api/v1/quote/", {"engine": "opencc"}, format="json"), 415, "unsupported_media_type")
    invalid = assert_error(api.post("/api/v1/quote/", {}, format="multipart"), 400, "invalid")
    assert set(invalid["errors"]) == {"engine", "source_lang", "target_lang"}


def test_token_errors_and_the_token_itself(user):
    client = APIClient()
    assert_error(client.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"}, format="json"),
                 400, "invalid_credentials")
    assert_error(client.post("/api/v1/auth/token/", {"username": "alice"}, format="json"), 400, "invalid")
    token = client.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-Secret-123"}, format="json")
    assert token.status_code == 200 and token.json()["token"]
    # Form bodies, as older clients send them, still work on the alias.
    assert client.post("/api/auth/token/", {"username": "alice", "password": "pw-Secret-123"}).json() == token.json()


def test_errors_speak_the_readers_language(api):
    response = api.get("/api/v1/tasks/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["code"] == "not_found" and response.json()["detail"] != "No such task."
    assert APIClient().get("/api/v1/tasks/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"] != \
        APIClient().get("/api/v1/tasks/").json()["detail"]


def page_shape(body: dict) -> None:
    assert set(body) == {"count", "next", "previous", "results"}


def test_every_list_is_paginated_the_same_way(api, user):
    for i in range(3):
        create(api, name=f"report-{i}.txt")
        notify(user_id=user.pk, kind="system", title=f"n{i}")
        Glossary.objects.create(user=user, name=f"g{i}")
    for path in ("/api/v1/tasks/", "/api/v1/notifications/", "/api/v1/glossaries/", "/api/v1/credits/ledger/"):
        first = api.get(path, {"page_size": 2}).json()
        page_shape(first)
        assert first["count"] >= 3 and len(first["results"]) == 2 and first["previous"] is None, path
        assert "page=2" in first["next"] and "page_size=2" in first["next"]
        second = api.get(first["next"]).json()
        assert second["previous"] and len(second["results"]) == first["count"] - 2, path
        assert_error(api.get(path, {"page": 99}), 404, "not_found")


def test_tasks_search_and_status_filter(api):
    ids = {name: create(api, name=name).json()["id"] for name in ("Annual Report.txt", "notes.txt", "report-2.md")}
    api.post(f"/api/v1/tasks/{ids['notes.txt']}/cancel/")
    found = api.get("/api/v1/tasks/", {"q": "REPORT"}).json()["results"]
    assert {t["id"] for t in found} == {ids["Annual Report.txt"], ids["report-2.md"]}
    cancelled = api.get("/api/v1/tasks/", {"status": "cancelled"}).json()["results"]
    assert [t["id"] for t in cancelled] == [ids["notes.txt"]]
    assert api.get("/api/v1/tasks/", {"status": "cancelled", "q": "report"}).json()["count"] == 0
    assert_error(api.get("/api/v1/tasks/", {"status": "finished"}), 400, "invalid")


def test_the_alias_serves_the_same_api_and_links_point_at_v1(api):
    created = create(api, prefix="/api")
    assert created.status_code == 201
    task_id = created.json()["id"]
    assert created["Location"] == f"/api/v1/tasks/{task_id}/"
    assert api.get(f"/api/tasks/{task_id}/").json() == api.get(f"/api/v1/tasks/{task_id}/").json()
    assert api.get("/api/v1/credits/").json()["ledger_url"] == "/api/v1/credits/ledger/"
    assert ProcessingTask.objects.count() == 1
