"""Security headers, a Content-Security-Policy with no 'unsafe-inline' that the pages really keep
(no inline script, style or handler in what they render), cookies, and staff privacy."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from accounts import keys
from credits.models import LedgerEntry
from notifications.models import Notification
from tasks.models import ProcessingTask
from tasks.services import create_task
from tests.helpers import upload
from tests.ops.test_deploy import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("root-operator", is_staff=True, is_superuser=True)


def _task(user) -> ProcessingTask:  # type: ignore[no-untyped-def]
    return create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                       target_lang="zh-Hant")


def _inline_code(html: str) -> list[str]:
    found = []
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
        if "src=" not in tag and 'type="application/json"' not in tag:
            found.append(tag)
    found += re.findall(r"<style\b[^>]*>", html, flags=re.I)
    found += re.findall(r"\sstyle\s*=", html, flags=re.I)
    found += re.findall(r"\son[a-z]+\s*=\s*[\"']", html, flags=re.I)
    found += re.findall(r"javascript:", html, flags=re.I)
    return found


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    parts = [p.strip().split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_every_page_carries_a_strict_policy_and_no_inline_code(user, staff, make_user):
    task = _task(user)
    keys.create_key(user_id=user.pk, name="ci")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    anonymous = Client()
    operator = Client()
    operator.force_login(staff)
    pages = [
        (anonymous, "/accounts/login/"), (anonymous, "/accounts/signup/"), (anonymous, "/accounts/password/reset/"),
        (browser, "/"), (browser, "/tasks/"), (browser, f"/tasks/{task.pk}/"), (browser, "/credits/"),
        (browser, "/notifications/"), (browser, "/accounts/settings/"), (browser, "/accounts/keys/"),
        (browser, "/accounts/password/"),
        (operator, "/admin/"), (operator, reverse("admin:tasks_processingtask_changelist")),
        (operator, reverse("admin:accounts_apikey_changelist")), (operator, reverse("admin:auth_user_changelist")),
        (operator, reverse("admin:auth_user_change", args=[user.pk])), (operator, "/admin/operations/"),
        (operator, reverse("admin:axes_accessattempt_changelist")),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], path
        assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
        assert _inline_code(response.content.decode()) == [], path


def test_the_lockout_page_and_the_created_key_page_keep_the_policy_too(user):
    for _ in range(6):
        locked = Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429 and _inline_code(locked.content.decode()) == []
    assert "'unsafe-inline'" not in locked["Content-Security-Policy"]
    browser = Client()
    browser.force_login(user)
    made = browser.post("/accounts/keys/", {"name": "laptop", "form_id": "f1"})
    assert made.status_code == 200 and _inline_code(made.content.decode()) == []
    assert made["Cache-Control"] == "no-store"


def test_the_api_docs_load_their_scripts_from_files_not_inline(browser_user_client=None):
    response = Client().get("/api/docs/")
    assert response.status_code == 200 and _inline_code(response.content.decode()) == []
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure_httponly_and_same_site():
    code = ("import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in ["
            "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE',"
            "'CSRF_COOKIE_SAMESITE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS']}))")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIYI_", "DEBUG", "SECRET_KEY"))}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**base, "DJANGO_SETTINGS_MODULE": "zhiyi.settings", **PRODUCTION})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
                      "SESSION_COOKIE_SAMESITE": "Lax", "CSRF_COOKIE_SAMESITE": "Lax", "SECURE_SSL_REDIRECT": True,
                      "SECURE_HSTS_SECONDS": 31536000}


def test_what_users_see_never_carries_a_staff_username(user, staff, monkeypatch):
    monkeypatch.setattr("tasks.services.enqueue", lambda task_id: None)  # keep them queued
    failed, cancelled = _task(user), _task(user)
    operator = Client()
    operator.force_login(staff)
    changelist = reverse("admin:tasks_processingtask_changelist")
    operator.post(changelist, {"action": "fail_and_refund_tasks", "_selected_action": [failed.pk]})
    operator.post(changelist, {"action": "cancel_tasks", "_selected_action": [cancelled.pk]})
    failed.refresh_from_db()
    cancelled.refresh_from_db()
    assert (failed.status, cancelled.status) == ("failed", "cancelled")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    api = Client()
    api.force_login(user)
    seen = [
        failed.error, *(str(n.params) + n.title + n.body for n in Notification.objects.filter(user=user)),
        *LedgerEntry.objects.filter(account__user=user).values_list("reason", flat=True),
        *(browser.get(path).content.decode() for path in (
            f"/tasks/{failed.pk}/", f"/tasks/{cancelled.pk}/", "/tasks/", "/credits/", "/notifications/")),
        *(api.get(path).content.decode() for path in (
            f"/api/tasks/{failed.pk}/", f"/api/tasks/{cancelled.pk}/", "/api/notifications/", "/api/credits/")),
    ]
    assert any("Stopped by staff" in text for text in seen)
    assert [text for text in seen if "root-operator" in text] == []
