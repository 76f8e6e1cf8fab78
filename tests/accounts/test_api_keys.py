"""API keys: made through the API (shown once, kept as a hash), used as credentials, revoked."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ApiKey
from tests.accounts.conftest import key_client

pytestmark = pytest.mark.django_db


def test_a_key_made_through_the_api_is_shown_once_and_stored_only_as_a_hash(api, user):
    made = api.post("/api/keys/", {"name": "CI pipeline", "scopes": ["translate"]}, format="json")
    assert made.status_code == 201
    body = made.json()
    secret = body["key"]
    assert secret.startswith("zy_") and secret.split(".")[0] == body["prefix"] and len(secret) > 40
    assert body["name"] == "CI pipeline" and body["scopes"] == ["translate"] and body["expires_at"] is None
    row = ApiKey.objects.get(prefix=body["prefix"])
    assert row.user == user and secret not in (row.hashed_key, row.pk) and row.hashed_key.startswith("sha512$$")
    with connection.cursor() as cursor:  # nowhere in the table, in any column
        cursor.execute("SELECT * FROM accounts_apikey")
        assert not any(secret in str(value) for record in cursor.fetchall() for value in record)
    listed = api.get("/api/keys/").json()["results"]
    assert [k["prefix"] for k in listed] == [body["prefix"]] and "key" not in listed[0]


def test_a_key_authenticates_as_its_owner_and_records_when_it_was_last_used(make_key, user, task_row):
    task_row()
    key, secret = make_key()
    assert key.last_used_at is None
    for keyword in ("Api-Key", "Bearer"):
        response = key_client(secret, keyword).get("/api/tasks/")
        assert response.status_code == 200 and response.json()["count"] == 1
    key.refresh_from_db()
    assert key.last_used_at is not None and timezone.now() - key.last_used_at < timedelta(seconds=30)


def test_several_named_keys_per_user_each_revocable_on_its_own(api, make_key):
    first, first_secret = make_key("laptop")
    second, second_secret = make_key("server")
    assert api.delete(f"/api/keys/{first.prefix}/").status_code == 204
    assert key_client(first_secret).get("/api/credits/").status_code == 401
    assert key_client(second_secret).get("/api/credits/").status_code == 200
    first.refresh_from_db()
    assert first.revoked and first.revoked_at is not None
    assert api.delete(f"/api/keys/{first.prefix}/").status_code == 404  # already revoked


def test_a_revoked_or_expired_key_is_a_401_with_a_challenge(make_key):
    key, secret = make_key()
    assert key_client(secret).get("/api/credits/").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))
    response = key_client(secret).get("/api/credits/")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"] == "Api-Key"
    other, other_secret = make_key("other", expires_at=timezone.now() + timedelta(days=1))
    ApiKey.objects.filter(pk=other.pk).update(revoked=True)
    assert key_client(other_secret).get("/api/credits/").status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(make_key):
    key, secret = make_key()
    assert key_client(key.prefix + ".0123456789abcdefghijABCDEFGHIJ01").get("/api/credits/").status_code == 401
    assert key_client(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get("/api/credits/").status_code == 401
    assert key_client("garbage").get("/api/credits/").status_code == 401


def test_another_users_key_cannot_be_seen_or_revoked(api, make_key, other_user):
    theirs, secret = make_key(owner=other_user)
    assert api.get("/api/keys/").json()["results"] == []
    assert api.delete(f"/api/keys/{theirs.prefix}/").status_code == 404
    assert key_client(secret).get("/api/credits/").status_code == 200


def test_a_key_of_an_inactive_user_does_not_work(make_key, user):
    _key, secret = make_key()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert key_client(secret).get("/api/credits/").status_code == 401


def test_bad_key_requests_are_refused_clearly_and_in_chinese(api, settings):
    api.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert api.post("/api/keys/", {"name": ""}, format="json").status_code == 400
    response = api.post("/api/keys/", {"name": "x", "scopes": ["admin"]}, format="json")
    assert response.status_code == 400
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = api.post("/api/keys/", {"name": "x", "expires_at": past}, format="json")
    assert response.status_code == 400 and response.json() == {"detail": "过期时间必须在将来。", "code": "expiry_in_past"}
    settings.ZHIYI_API_KEYS_PER_USER = 2
    for n in range(2):
        assert api.post("/api/keys/", {"name": f"k{n}"}, format="json").status_code == 201
    response = api.post("/api/keys/", {"name": "one too many"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many_keys"


def test_no_api_key_can_manage_keys_or_the_token(make_key):
    _key, secret = make_key()  # unscoped: everything else is allowed
    client = key_client(secret)
    assert client.get("/api/keys/").status_code == 403
    response = client.post("/api/keys/", {"name": "child"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "api_key_scope"
    assert client.delete("/api/auth/token/").status_code == 403
    assert ApiKey.objects.count() == 1


def test_the_legacy_token_keeps_working_until_it_is_revoked(user):
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": "alice", "password": "pw-Secret-123"}, format="json")
    assert token.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/credits/").status_code == 200
    assert client.post("/api/keys/", {"name": "moved"}, format="json").status_code == 201  # a token may make keys
    assert client.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get("/api/credits/").status_code == 401


def test_the_token_endpoint_refuses_wrong_credentials_as_before(user):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_credentials"
    assert APIClient().post("/api/auth/token/", {"username": "alice"}, format="json").status_code == 400
