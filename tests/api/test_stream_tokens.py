"""Streams for other origins: a short-lived, single-purpose stream token as `?token=`, and CORS
answers (django-cors-headers' own) on the API and on the streams, which bypass Django."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.core import signing
from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from streams import sse
from streams.auth import issue_stream_token
from zhiyi.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)  # the stream reads on its own thread

APP = "https://app.example.com"


@pytest.fixture(autouse=True)
def _streams(monkeypatch, settings):
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(sse, "_db_pool", pool)
    settings.ZHIYI_BUS = "memory"
    settings.CORS_ALLOWED_ORIGINS = [APP]
    yield
    pool.submit(connections.close_all).result()
    pool.shutdown()


def asgi(method: str, path: str, headers=()) -> dict:
    return async_to_sync(HttpCommunicator(application, method, path, headers=list(headers)).get_response)(timeout=5)


def finished_task(task_row, **fields):  # type: ignore[no-untyped-def]
    return task_row(status="completed", progress=100, version=3, **fields)


def test_a_stream_token_opens_the_users_streams_and_nothing_else(api, user, task_row):
    task = finished_task(task_row)
    answer = api.post("/api/v1/streams/token/", {}, format="json").json()
    assert answer["expires_in"] == 300 and answer["path"] == "" and answer["expires_at"]
    opened = asgi("GET", f"/sse/tasks/{task.pk}/?token={answer['token']}")
    assert opened["status"] == 200 and b"event: status" in opened["body"]
    # It is no API credential, and the API token is no stream token.
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Token {answer['token']}")
    assert bearer.get("/api/v1/tasks/").status_code == 401
    api_token = Token.objects.create(user=user).key
    refused = asgi("GET", f"/sse/tasks/{task.pk}/?token={api_token}")
    assert (refused["status"], json.loads(refused["body"])["code"]) == (401, "not_authenticated")


def test_a_token_for_one_path_opens_only_that_path(api, task_row):
    task, other = finished_task(task_row), finished_task(task_row)
    answer = api.post("/api/v1/streams/token/", {"path": f"/sse/tasks/{task.pk}/"}, format="json").json()
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={answer['token']}")["status"] == 200
    assert asgi("GET", f"/sse/tasks/{other.pk}/?token={answer['token']}")["status"] == 401
    bad = api.post("/api/v1/streams/token/", {"path": "/api/v1/tasks/"}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")


def test_an_expired_forged_or_foreign_token_is_refused(user, other_user, task_row, monkeypatch, settings):
    task = finished_task(task_row)
    token = issue_stream_token(user_id=user.pk)
    with monkeypatch.context() as m:  # a token issued one second more than its lifetime ago
        m.setattr(signing.TimestampSigner, "timestamp",
                  lambda self: signing.b62_encode(int(time.time()) - settings.ZHIYI_STREAM_TOKEN_TTL_S - 1))
        expired = issue_stream_token(user_id=user.pk)
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={expired}")["status"] == 401
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={token}")["status"] == 200
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={token}x")["status"] == 401
    theirs = issue_stream_token(user_id=other_user.pk)
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={theirs}")["status"] == 404  # their token, my task
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert asgi("GET", f"/sse/tasks/{task.pk}/?token={token}")["status"] == 401


def test_streams_answer_an_allowed_origin_with_cors_headers(user, task_row):
    task = finished_task(task_row)
    token = issue_stream_token(user_id=user.pk)
    response = asgi("GET", f"/sse/tasks/{task.pk}/?token={token}", [(b"origin", APP.encode())])
    headers = dict(response["headers"])
    assert response["status"] == 200 and headers[b"access-control-allow-origin"] == APP.encode()
    assert b"origin" in headers[b"vary"].lower()
    refusal = asgi("GET", f"/sse/tasks/{task.pk}/", [(b"origin", APP.encode())])
    assert refusal["status"] == 401 and dict(refusal["headers"])[b"access-control-allow-origin"] == APP.encode()
    stranger = asgi("GET", f"/sse/tasks/{task.pk}/?token={token}", [(b"origin", b"https://evil.example")])
    assert b"access-control-allow-origin" not in dict(stranger["headers"])
    preflight = asgi("OPTIONS", f"/sse/tasks/{task.pk}/", [(b"origin", APP.encode()),
                                                           (b"access-control-request-method", b"GET"),
                                                           (b"access-control-request-headers", b"last-event-id")])
    allowed = dict(preflight["headers"])
    assert preflight["status"] == 200 and b"last-event-id" in allowed[b"access-control-allow-headers"]


def test_the_api_answers_an_allowed_origin_and_exposes_its_headers(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.get("/api/v1/tasks/", HTTP_ORIGIN=APP)
    assert response["Access-Control-Allow-Origin"] == APP
    assert "RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/tasks/", HTTP_ORIGIN="https://evil.example")
    preflight = client.options("/api/v1/tasks/", HTTP_ORIGIN=APP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="idempotency-key")
    assert "idempotency-key" in preflight["Access-Control-Allow-Headers"]
