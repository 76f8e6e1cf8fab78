"""Quotas: per user and per credential (quote, create, token), with the limit in the headers and
Retry-After on a refusal; a new authentication class is throttled per credential as it is."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lib.throttling import UserThrottle
from tasks.api import QuoteApi
from tests.api.conftest import create
from tests.helpers import upload

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(UserThrottle.__mro__[1], "timer", clock)  # the shared base of both budgets
    return clock


@pytest.fixture
def rates(settings):
    def set_rates(**rates: str | None) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                                   "DEFAULT_THROTTLE_RATES": {k.replace("_", "."): v for k, v in rates.items()}}

    return set_rates


def quote(client):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/quote/", {"file": upload("你好"), "engine": "opencc", "source_lang": "zh-Hans",
                                          "target_lang": "zh-Hant"}, format="multipart")


def token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_limit_is_in_the_headers_and_a_refusal_says_when_to_retry(user, rates, clock):
    rates(quote="3/min")
    client = token_client(user)
    seen = []
    for _ in range(3):
        response = quote(client)
        assert response.status_code == 200
        seen.append((response["RateLimit-Limit"], response["RateLimit-Remaining"]))
        clock.now += 10
    assert seen == [("3", "2"), ("3", "1"), ("3", "0")]
    refused = quote(client)
    body = refused.json()
    assert (refused.status_code, body["code"]) == (429, "throttled") and body["detail"]
    # The oldest request (30 s ago) leaves the 60 s window in 30 s.
    assert refused["Retry-After"] == "30" and refused["RateLimit-Remaining"] == "0"
    assert refused["RateLimit-Reset"] == "30" and refused["RateLimit-Policy"] == "3;w=60"
    clock.now += 30
    assert quote(client).status_code == 200


def test_budgets_are_per_user(user, other_user, rates, clock):
    rates(create="2/min")
    mine, theirs = token_client(user), token_client(other_user)
    assert [create(mine, name=f"{i}.txt").status_code for i in range(3)] == [201, 201, 429]
    assert create(theirs).status_code == 201
    # Listing is not a quota.
    assert mine.get("/api/v1/tasks/").status_code == 200 and "RateLimit-Limit" not in mine.get("/api/v1/tasks/")


@dataclass(frozen=True)
class ApiKey:
    """What an API-key authentication class might put in request.auth."""

    pk: int
    name: str


class KeyAuthentication(BaseAuthentication):
    def authenticate(self, request):  # type: ignore[no-untyped-def]
        raw = request.headers.get("X-Test-Key")
        if not raw:
            return None
        owner, number = raw.split(":")
        return get_user_model().objects.get(username=owner), ApiKey(pk=int(number), name=raw)


def test_each_credential_has_its_own_budget_within_the_users(user, rates, clock, monkeypatch):
    monkeypatch.setattr(QuoteApi, "authentication_classes", [KeyAuthentication, *QuoteApi.authentication_classes])
    rates(quote="6/min", quote_credential="2/min")
    key_one, key_two, session = APIClient(), APIClient(), APIClient()
    key_one.credentials(HTTP_X_TEST_KEY="alice:1")
    key_two.credentials(HTTP_X_TEST_KEY="alice:2")
    session.force_login(user)
    assert [quote(key_one).status_code for _ in range(3)] == [200, 200, 429]
    ok = quote(key_two)
    assert ok.status_code == 200 and ok["RateLimit-Policy"] == "6;w=60, 2;w=60"
    assert quote(key_two).status_code == 200
    # Every request counts against the user's budget (6), refused ones too: a session, which carries
    # no credential of its own, gets the last one.
    assert quote(session).status_code == 200
    assert quote(session).status_code == 429
    assert quote(token_client(user)).status_code == 429


def test_the_token_endpoint_is_throttled_per_address_and_per_username(user, other_user, rates, clock):
    rates(token="4/min", token_credential="2/min")
    client = APIClient()

    def ask(name: str) -> int:
        return client.post("/api/v1/auth/token/", {"username": name, "password": "wrong"}, format="json").status_code

    assert [ask("alice"), ask("ALICE "), ask("alice")] == [400, 400, 429]  # per username, any spelling
    assert [ask("bob"), ask("bob")] == [400, 429]  # then the address's budget (4) is spent
    clock.now += 61
    assert ask("bob") == 400


def test_an_empty_rate_turns_a_budget_off(user, rates, clock):
    rates(quote=None)
    client = token_client(user)
    responses = [quote(client) for _ in range(5)]
    assert all(r.status_code == 200 and "RateLimit-Limit" not in r for r in responses)
