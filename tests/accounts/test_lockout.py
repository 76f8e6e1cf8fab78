"""One lockout for every door (django-axes inside authenticate()): the login page, the token
endpoint and the admin login count against the same username + address pair."""
from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT
RIGHT = "pw-Secret-123"


def token(client: Client, password: str, **headers):  # type: ignore[no-untyped-def]
    return client.post("/api/auth/token/", {"username": "alice", "password": password},
                       content_type="application/json", **headers)


def page(client: Client, password: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": "alice", "password": password})


def admin(client: Client, password: str, username: str = "alice"):  # type: ignore[no-untyped-def]
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.fixture
def staff_user(make_user):
    return make_user("alice", is_staff=True, is_superuser=True)


def test_the_token_endpoint_locks_and_says_when_to_try_again(user):
    client = Client()
    for _ in range(LIMIT - 1):
        assert token(client, "wrong").status_code == 400
    locked = token(client, "wrong")
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out" and body["retry_after"] == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "Try again in 15 minutes" in body["detail"] and body["retry_at"]
    assert locked["Retry-After"] == str(body["retry_after"])
    refused = token(client, RIGHT)
    assert refused.status_code == 429 and "token" not in refused.json()
    assert not Token.objects.filter(user=user).exists()


def test_the_api_answer_speaks_chinese(user):
    client = Client()
    for _ in range(LIMIT):
        token(client, "wrong")
    body = token(client, RIGHT, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["detail"] == "此账户从你的地址登录失败次数过多。请 15 分钟后再试。"


def test_failures_on_every_door_add_up_to_one_lockout(staff_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page(client, "wrong")
    page(client, "wrong")
    token(client, "wrong")
    token(client, "wrong")
    assert admin(client, "wrong").status_code == 429  # the fifth, on a third door
    for response in (page(client, RIGHT), token(client, RIGHT), admin(client, RIGHT)):
        assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Sign-in locked for now" in admin(client, RIGHT).content.decode()
    assert AccessAttempt.objects.get().failures_since_start >= LIMIT


def test_the_lock_ends_after_the_cool_off(user):
    client = Client()
    for _ in range(LIMIT):
        page(client, "wrong")
    assert page(client, RIGHT).status_code == 429
    past = AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)  # the cool-off has passed
    assert page(client, RIGHT).status_code == 302


def test_staff_unlock_a_user_from_the_user_admin(user, make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        page(Client(), "wrong")
        page(Client(REMOTE_ADDR="10.1.1.1"), "wrong")
    staff = Client()
    staff.force_login(root)
    response = staff.post("/admin/auth/user/", {"action": "unlock_sign_in", "_selected_action": [user.pk]}, follow=True)
    assert "Sign-in unlocked for 1 account(s)" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert page(Client(), RIGHT).status_code == 302


def test_staff_unlock_one_pair_from_the_attempts_admin(user, make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        page(Client(), "wrong")
        page(Client(REMOTE_ADDR="10.1.1.1"), "wrong")
    here = AccessAttempt.objects.get(ip_address="127.0.0.1")
    staff = Client()
    staff.force_login(root)
    assert staff.get("/admin/axes/accessattempt/").status_code == 200
    staff.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [here.pk]})
    assert page(Client(), RIGHT).status_code == 302
    assert page(Client(REMOTE_ADDR="10.1.1.1"), RIGHT).status_code == 429  # the other pair stays locked


def test_the_command_unlocks_a_username(user, capsys):
    for _ in range(LIMIT):
        page(Client(), "wrong")
    call_command("axes_reset_username", "alice")
    assert "attempts removed" in capsys.readouterr().out
    assert page(Client(), RIGHT).status_code == 302


def test_an_api_key_or_a_session_still_works_while_the_password_is_locked(user):
    from accounts import keys
    from tests.accounts.conftest import key_client

    _key, secret = keys.create_key(user_id=user.pk, name="ci")
    signed_in = Client()
    signed_in.force_login(user)
    for _ in range(LIMIT):
        page(Client(), "wrong")
    assert key_client(secret).get("/api/credits/").status_code == 200
    assert signed_in.get("/").status_code == 200
