from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts import ratelimit
from credits.models import CreditAccount

pytestmark = pytest.mark.django_db


def test_signup_creates_the_user_logs_in_and_shows_the_welcome_credits(settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/signup/", {"username": "newbie", "password1": "Tr4nslate-me!",
                                                 "password2": "Tr4nslate-me!"})
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="newbie")
    assert CreditAccount.objects.get(user=user).balance == settings.ZHIYI_WELCOME_CREDITS
    page = client.get("/")
    assert f'id="balance" class="big">{settings.ZHIYI_WELCOME_CREDITS}<' in page.content.decode()


def test_signup_with_mismatched_passwords_shows_the_error_and_creates_nobody():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/signup/", {"username": "x1", "password1": "Tr4nslate-me!", "password2": "other-Pass-9"})
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode() or "didn't match" in response.content.decode()
    assert not get_user_model().objects.filter(username="x1").exists()


def test_login_succeeds_with_the_right_password(user):
    response = Client().post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"})
    assert response.status_code == 302


def test_login_is_refused_after_too_many_failures_even_with_the_right_password(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(ratelimit.MAX_FAILURES):
        assert client.post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_is_per_username_and_address(user, make_user):
    make_user("bob")
    client = Client()
    for _ in range(ratelimit.MAX_FAILURES):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    # Another account from the same address, and the same account from another address, still work.
    assert client.post("/accounts/login/", {"username": "bob", "password": "pw-Secret-123"}).status_code == 302
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302


def test_a_successful_login_resets_the_failure_count(user):
    client = Client()
    for _ in range(ratelimit.MAX_FAILURES - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302
    client.logout()
    for _ in range(ratelimit.MAX_FAILURES - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302


def test_password_change_works_and_the_new_password_logs_in(browser, user):
    response = browser.post("/accounts/password/", {"old_password": "pw-Secret-123", "new_password1": "N3w-passw0rd!",
                                                    "new_password2": "N3w-passw0rd!"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert Client().login(username="alice", password="N3w-passw0rd!")


def test_pages_need_a_login():
    for path in ("/", "/tasks/", "/credits/", "/notifications/", "/accounts/password/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
