from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import Profile
from credits.models import CreditAccount

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def _signup(client: Client, username: str = "newbie", email: str = "newbie@example.com", **extra):  # type: ignore[no-untyped-def]
    return client.post("/accounts/signup/", {"username": username, "email": email, "password1": "Tr4nslate-me!",
                                             "password2": "Tr4nslate-me!", **extra})


def test_signup_creates_the_user_logs_in_and_shows_the_welcome_credits():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = _signup(client)
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert CreditAccount.objects.get(user=user).balance == settings.ZHIYI_WELCOME_CREDITS
    page = client.get("/")
    assert f'id="balance" class="big">{settings.ZHIYI_WELCOME_CREDITS:,}<' in page.content.decode()
    assert "We sent a link to newbie@example.com" in page.content.decode()


def test_signup_sends_a_verification_link_that_confirms_the_address_once_it_is_followed():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _signup(client)
    user = get_user_model().objects.get(username="newbie")
    assert not Profile.objects.get(user=user).email_is_verified(user.email)
    (message,) = mail.outbox
    assert message.to == ["newbie@example.com"] and "Confirm your address" in message.subject
    link = re.search(r"http://testserver(/accounts/email/verify/\S+/)", message.body).group(1)
    assert Client().get(link).status_code == 200  # works without a session (another device)
    assert Profile.objects.get(user=user).email_is_verified("newbie@example.com")


def test_a_verification_link_for_an_address_that_changed_since_does_not_confirm_the_new_one():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _signup(client)
    link = re.search(r"http://testserver(/accounts/email/verify/\S+/)", mail.outbox[0].body).group(1)
    client.post("/accounts/settings/", {"email": "other@example.com", "language": "en"})
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(link)
    assert response.status_code == 400 and "no longer works" in response.content.decode()
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "other@example.com" and not Profile.objects.get(user=user).email_is_verified(user.email)
    assert mail.outbox[-1].to == ["other@example.com"]  # the new address gets its own link


def test_a_forged_or_tampered_verification_link_is_refused():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _signup(client)
    link = re.search(r"http://testserver(/accounts/email/verify/\S+/)", mail.outbox[0].body).group(1)
    assert Client().get(link[:-3] + "xx/").status_code == 400
    assert Client().get("/accounts/email/verify/eyJ1IjoxfQ:abc:def/").status_code == 400


def test_signup_needs_an_email_address_and_says_so_in_chinese():
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/accounts/signup/", {"username": "x1", "password1": "Tr4nslate-me!", "password2": "Tr4nslate-me!"})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    assert not get_user_model().objects.filter(username="x1").exists()


def test_signup_with_mismatched_passwords_shows_the_error_and_creates_nobody():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/signup/", {"username": "x1", "email": "x1@example.com", "password1": "Tr4nslate-me!",
                              "password2": "other-Pass-9"})
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode() or "didn't match" in response.content.decode()
    assert not get_user_model().objects.filter(username="x1").exists()


def test_login_succeeds_with_the_right_password_and_gets_a_new_session_key(user):
    client = Client()
    client.get("/accounts/login/")
    client.session["probe"] = 1  # an anonymous session exists before the log-in
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after  # session fixation: the key is rotated on log-in
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_is_refused_after_too_many_failures_even_with_the_right_password(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(LIMIT - 1):
        assert client.post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 200
    locked = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429  # the failure that reaches the limit already says so
    blocked = client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"})
    assert blocked.status_code == 429
    page = blocked.content.decode()
    assert "Too many failed sign-in attempts" in page and "Try again in 15 minutes" in page
    assert int(blocked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_chinese(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode() and "15 分钟" in response.content.decode()


def test_the_limit_is_per_username_and_address(user, make_user):
    make_user("bob")
    client = Client()
    for _ in range(LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    # Another account from the same address, and the same account from another address, still work.
    assert client.post("/accounts/login/", {"username": "bob", "password": "pw-Secret-123"}).status_code == 302
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302


def test_a_forwarded_for_header_does_not_change_the_address_that_is_locked(user):
    for n in range(LIMIT):
        Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post("/accounts/login/", {"username": "alice", "password": "x"})
    response = Client(HTTP_X_FORWARDED_FOR="203.0.113.7").post(
        "/accounts/login/", {"username": "alice", "password": "pw-Secret-123"})
    assert response.status_code == 429


def test_a_successful_login_resets_the_failure_count(user):
    client = Client()
    for _ in range(LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "alice", "password": "pw-Secret-123"}).status_code == 302


def test_password_change_works_and_the_new_password_logs_in(browser, user):
    response = browser.post("/accounts/password/", {"old_password": "pw-Secret-123", "new_password1": "N3w-passw0rd!",
                                                    "new_password2": "N3w-passw0rd!"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert Client().post("/accounts/login/", {"username": "alice", "password": "N3w-passw0rd!"}).status_code == 302


def test_pages_need_a_login():
    for path in ("/", "/tasks/", "/credits/", "/notifications/", "/accounts/password/", "/accounts/settings/",
                 "/accounts/keys/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
