"""The API keys page: make a key (shown once), see its prefix, scopes, expiry and last use, revoke
it, and retire the old token; in English and Chinese."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import ApiKey
from tests.accounts.conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _form_id(client: Client) -> str:
    return re.search(r'name="form_id" value="([0-9a-f]+)"', client.get("/accounts/keys/").content.decode()).group(1)


def test_a_key_made_on_the_page_is_shown_once_and_then_only_by_its_prefix(browser, user):
    form_id = _form_id(browser)
    made = browser.post("/accounts/keys/", {"form_id": form_id, "name": "laptop", "scopes": ["read"], "expires": "30"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-key-secret" value="([^"]+)"', made.content.decode()).group(1)
    key = ApiKey.objects.get(user=user)
    assert secret.startswith(key.prefix + ".") and key.scopes == ["read"] and key.expiry_date is not None
    assert key_client(secret).get("/api/credits/").status_code == 200
    again = browser.get("/accounts/keys/").content.decode()
    assert secret not in again and f"{key.prefix}…" in again and "Read only" in again
    resubmitted = browser.post("/accounts/keys/", {"form_id": form_id, "name": "laptop"}, follow=True)
    assert secret not in resubmitted.content.decode() and "already made" in resubmitted.content.decode()
    assert ApiKey.objects.count() == 1


def test_revoking_on_the_page_stops_the_key(browser, user):
    browser.post("/accounts/keys/", {"form_id": "a", "name": "old laptop"})
    key = ApiKey.objects.get()
    response = browser.post(f"/accounts/keys/{key.prefix}/revoke/", follow=True)
    assert "was revoked" in response.content.decode() and "revoked" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked


def test_someone_elses_key_cannot_be_revoked_from_the_page(browser, other_user):
    other = Client()
    other.force_login(other_user)
    other.post("/accounts/keys/", {"form_id": "b", "name": "theirs"})
    key = ApiKey.objects.get()
    browser.post(f"/accounts/keys/{key.prefix}/revoke/")
    key.refresh_from_db()
    assert not key.revoked


def test_the_old_token_is_shown_with_how_to_move_and_can_be_revoked(browser, user):
    Token.objects.create(user=user)
    page = browser.get("/accounts/keys/").content.decode()
    assert 'id="legacy-token"' in page and "Move each program to a key of its own" in page
    browser.post("/accounts/keys/token/revoke/")
    assert not Token.objects.filter(user=user).exists()
    assert 'id="legacy-token"' not in browser.get("/accounts/keys/").content.decode()


def test_a_bad_form_says_why_in_chinese(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    page = client.get("/accounts/keys/").content.decode()
    assert "API 密钥" in page and "创建密钥" in page
    refused = client.post("/accounts/keys/", {"form_id": "c", "name": ""})
    assert refused.status_code == 400 and "该字段是必填项" in refused.content.decode()
    assert not ApiKey.objects.exists()


def test_the_settings_page_turns_outcome_mails_on_and_shows_whether_the_address_is_confirmed(browser, user):
    from django.core import mail

    from accounts.models import Profile

    page = browser.get("/accounts/settings/").content.decode()
    assert "Email me when a translation finishes or fails" in page
    browser.post("/accounts/settings/", {"email": "alice@example.com", "mail_task_outcomes": "on",
                                         "language": "zh-hans"})
    profile = Profile.objects.get(user=user)
    assert profile.mail_task_outcomes and profile.language == "zh-hans"
    assert "not confirmed yet" in browser.get("/accounts/settings/").content.decode()
    (message,) = mail.outbox  # the new address gets a link
    link = re.search(r"http://testserver(/accounts/email/verify/\S+/)", message.body).group(1)
    browser.get(link)
    assert 'id="email-state">confirmed' in browser.get("/accounts/settings/").content.decode()
    assert browser.post("/accounts/email/resend/")["Location"] == "/accounts/settings/"
    assert len(mail.outbox) == 1  # confirmed already: nothing to send
