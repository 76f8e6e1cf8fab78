"""Against two real daphne processes sharing one database: the lockout is one lock for every
door on every process, and a revoked or expired key stops at once on both."""
from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import timedelta

import httpx
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import keys
from accounts.models import ApiKey
from tests.servers import daphne_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
RIGHT = "pw-Secret-123"


@pytest.fixture
def two_servers(tmp_path):  # type: ignore[no-untyped-def]
    with ExitStack() as stack:
        yield [stack.enter_context(daphne_server(log_path=tmp_path / f"daphne-{n}.log")) for n in (1, 2)]


def _csrf(page: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def token_door(base: str, password: str) -> httpx.Response:
    return httpx.post(base + "/api/auth/token/", json={"username": "alice", "password": password})


def form_door(path: str):  # type: ignore[no-untyped-def]
    def door(base: str, password: str) -> httpx.Response:
        with httpx.Client(base_url=base, headers={"Accept-Language": "en"}) as browser:
            form = browser.get(path)
            response = browser.post(path, data={"username": "alice", "password": password,
                                                "csrfmiddlewaretoken": _csrf(form)})
            # Whatever the answer, the session it left must not be signed in.
            response.signed_in = browser.get("/admin/", follow_redirects=False).status_code == 200  # type: ignore[attr-defined]
            return response
    return door


page_door = form_door("/accounts/login/")
admin_door = form_door("/admin/login/?next=/admin/")


def test_twelve_wrong_passwords_then_the_right_one_get_no_one_in_through_any_door(make_user, two_servers):
    make_user("alice", is_staff=True, is_superuser=True)  # so the admin door would open for her
    doors = [token_door, page_door, admin_door]
    for n in range(12):
        response = doors[n % 3](two_servers[n % 2], f"wrong-{n}")
        assert response.status_code in (200, 400, 429)  # refused: a form again, a 400, or already locked
        assert response.status_code == 429 or n < settings.AXES_FAILURE_LIMIT
    for base in two_servers:
        token = token_door(base, RIGHT)
        assert token.status_code == 429 and "token" not in token.json()
        assert token.json()["code"] == "locked_out" and 0 < token.json()["retry_after"] <= 15 * 60
        assert int(token.headers["Retry-After"]) == token.json()["retry_after"]
        for door in (page_door, admin_door):
            response = door(base, RIGHT)
            assert response.status_code == 429 and not response.signed_in
            assert "Try again in 15 minutes" in response.text and response.headers["Retry-After"]
    assert not Token.objects.exists()
    assert AccessAttempt.objects.filter(username="alice").count() >= 1
    # The same password from another account's point of view: bob is not locked by alice's pair.
    make_user("bob")
    assert httpx.post(two_servers[1] + "/api/auth/token/", json={"username": "bob", "password": RIGHT}).status_code == 200


def test_a_revoked_or_expired_key_gets_401_at_once_on_every_process(user, two_servers):
    key, secret = keys.create_key(user_id=user.pk, name="deploy script")
    manager = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    auth = {"Authorization": f"Api-Key {secret}"}
    for base in two_servers:
        assert httpx.get(base + "/api/credits/", headers=auth).status_code == 200
    first, second = two_servers
    assert httpx.delete(f"{first}/api/keys/{key.prefix}/", headers=manager).status_code == 204
    # The very next request on each process is refused: no process keeps the key in a cache.
    answers = [httpx.get(base + "/api/credits/", headers=auth) for base in (second, first)]
    assert [a.status_code for a in answers] == [401, 401]
    assert httpx.get(second + "/sse/notifications/", headers=auth).status_code == 401

    other, other_secret = keys.create_key(user_id=user.pk, name="short-lived",
                                          expires_at=timezone.now() + timedelta(days=1))
    other_auth = {"Authorization": f"Api-Key {other_secret}"}
    with httpx.stream("GET", second + "/sse/notifications/", headers={**other_auth, "Accept": "text/event-stream"},
                      timeout=5) as stream:
        assert stream.status_code == 200
    ApiKey.objects.filter(pk=other.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))  # it expires
    for base in two_servers:
        assert httpx.get(base + "/api/credits/", headers=other_auth).status_code == 401
        assert httpx.get(base + "/sse/notifications/", headers=other_auth).status_code == 401
