"""The API path with the worker in-process (django-q2 sync): create → run → result."""
from __future__ import annotations

import pytest

from credits.selectors import balance_of, find_breaches
from notifications.models import Notification
from tasks.models import ProcessingTask
from tests.helpers import SIMPLIFIED, upload

pytestmark = pytest.mark.django_db


def create(api, content=SIMPLIFIED, name="doc.txt", **fields):
    data = {"file": upload(content, name), "engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant",
            **fields}
    return api.post("/api/tasks/", data, format="multipart")


def test_a_text_file_is_translated_and_charged(api, user, settings, django_capture_on_commit_callbacks):
    settings.ZHIYI_WELCOME_CREDITS = 1000
    with django_capture_on_commit_callbacks(execute=True):
        response = create(api)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["cost"] >= 1
    assert body["stream_url"] == f"/sse/tasks/{body['id']}/"

    task = api.get(f"/api/tasks/{body['id']}/").json()
    assert task["status"] == "completed" and task["progress"] == 100
    result = api.get(task["result_url"])
    assert result.status_code == 200
    assert b"".join(result.streaming_content).decode() == "漢字簡體轉換測試。\n這是第二行，包含發展與聯繫。\n"
    assert balance_of(user_id=user.pk) == 1000 - task["charged"]
    assert find_breaches() == []


def test_quote_shows_characters_and_cost_without_creating_anything(api, settings):
    settings.ZHIYI_RATES = {**settings.ZHIYI_RATES, "opencc": 1000}
    response = api.post("/api/quote/", {"file": upload("你好世界"), "engine": "opencc", "source_lang": "zh-Hans",
                                        "target_lang": "zh-TW"}, format="multipart")
    assert response.status_code == 200
    assert response.json()["characters"] == 4 and response.json()["cost"] == 4
    assert not ProcessingTask.objects.exists()


def test_gb18030_and_bom_input_are_decoded_and_written_back_alike(api, django_capture_on_commit_callbacks):
    for raw, encoding in (("简体中文".encode("gb18030"), "gb18030"), ("\ufeff简体中文".encode("utf-8"), "utf-8")):
        with django_capture_on_commit_callbacks(execute=True):
            response = create(api, raw)
        assert response.status_code == 201
        task = ProcessingTask.objects.get(pk=response.json()["id"])
        assert task.result.read().decode(encoding) == "\ufeff簡體中文"[encoding == "gb18030":]


@pytest.mark.parametrize("fields, status, code", [
    ({"engine": "nope"}, 400, "unknown_engine"),
    ({"target_lang": "fr"}, 400, "unsupported_language_pair"),
])
def test_bad_engine_or_pair_is_refused(api, user, fields, status, code):
    response = create(api, **fields)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not ProcessingTask.objects.exists()


def test_bad_files_are_refused_with_a_clear_error_and_leave_nothing(api, user, settings):
    settings.ZHIYI_MAX_UPLOAD_MB = 1
    cases = [
        (b"", "doc.txt", 400, "empty_file"),
        (b"x" * (1024 * 1024 + 1), "doc.txt", 413, "file_too_large"),
        (b"hello", "doc.exe", 415, "unsupported_format"),
        (b"\x00\x01\x02binary", "doc.txt", 415, "unsupported_format"),
        (b"   \n  \n", "doc.txt", 400, "no_text"),
    ]
    for content, name, status, code in cases:
        response = create(api, content, name)
        assert (response.status_code, response.json()["code"]) == (status, code), name
        assert response.json()["detail"]
    no_file = api.post("/api/tasks/", {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"},
                       format="multipart")
    assert (no_file.status_code, no_file.json()["code"]) == (400, "no_file")
    assert not ProcessingTask.objects.exists()
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_insufficient_credits_is_402_and_creates_nothing(api, user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    response = create(api)
    assert response.status_code == 402
    assert response.json()["code"] == "insufficient_credits"
    assert not ProcessingTask.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_the_same_idempotency_key_returns_the_same_task(api, user, settings):
    first = api.post("/api/tasks/", {"file": upload(), "engine": "opencc", "source_lang": "zh-Hans",
                                     "target_lang": "zh-Hant"}, format="multipart", HTTP_IDEMPOTENCY_KEY="k1")
    second = api.post("/api/tasks/", {"file": upload(), "engine": "opencc", "source_lang": "zh-Hans",
                                      "target_lang": "zh-Hant"}, format="multipart", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.json()["id"] == second.json()["id"]
    assert ProcessingTask.objects.count() == 1
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - first.json()["cost"]


def test_another_users_task_is_404_everywhere(api, other_user):
    from rest_framework.test import APIClient

    task_id = create(api).json()["id"]
    intruder = APIClient()
    intruder.force_authenticate(other_user)
    for method, path in [("get", ""), ("post", "cancel/"), ("post", "retry/"), ("delete", ""), ("get", "result/")]:
        response = getattr(intruder, method)(f"/api/tasks/{task_id}/{path}")
        assert response.status_code == 404, path


def test_cancel_refunds_and_state_rules_answer_409(api, user, settings):
    task_id = create(api).json()["id"]  # stays queued: the on-commit enqueue was not run
    assert api.delete(f"/api/tasks/{task_id}/").status_code == 409
    assert api.post(f"/api/tasks/{task_id}/retry/").status_code == 409
    cancelled = api.post(f"/api/tasks/{task_id}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["message"] == "Cancelled"
    assert not Notification.objects.filter(user=user).exists()  # they did it themselves: nothing to tell
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert api.post(f"/api/tasks/{task_id}/cancel/").json()["code"] == "invalid_state"
    assert api.delete(f"/api/tasks/{task_id}/").status_code == 204
    assert not ProcessingTask.objects.exists()
    assert find_breaches() == []


def test_retry_reserves_again_and_completes(api, user, settings, django_capture_on_commit_callbacks):
    task_id = create(api).json()["id"]
    api.post(f"/api/tasks/{task_id}/cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        retried = api.post(f"/api/tasks/{task_id}/retry/")
    assert retried.status_code == 200
    task = ProcessingTask.objects.get(pk=task_id)
    assert task.status == "completed"
    assert task.reservations.count() == 2
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.charged
    assert find_breaches() == []


def test_token_auth_and_engines_list(user):
    from rest_framework.test import APIClient

    client = APIClient()
    token = client.post("/api/auth/token/", {"username": "alice", "password": "pw-Secret-123"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    engines = {e["name"]: e for e in client.get("/api/engines/").json()}
    assert engines["opencc"]["available"] is True
    assert ["zh-Hans", "zh-Hant"] in engines["opencc"]["pairs"]
    assert client.get("/api/credits/").json()["balance"] == 1000
    assert APIClient().get("/api/tasks/").status_code in (401, 403)
