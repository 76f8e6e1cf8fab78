"""The reader's language and time zone: saved on the account, applied where they read."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from accounts.models import Profile
from notifications.events import notification_payload
from notifications.services import notify
from tasks.models import ProcessingTask

pytestmark = pytest.mark.django_db


def test_switching_language_saves_it_on_the_account_and_pushed_notifications_follow(browser, user):
    notification = notify(user_id=user.pk, kind="task_completed", url="/tasks/1/",
                          params={"filename": "a.txt", "source": "en", "target": "es", "charged": 1})
    assert notification_payload(notification)["body"] == "English → Spanish, 1 point charged."
    response = browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).language == "zh-hans"
    # The worker pushes it outside any request, in English by default: the user reads Chinese.
    payload = notification_payload(notification)
    assert payload["title"] == "已翻译：a.txt" and payload["body"] == "英语 → 西班牙语，扣除 1 积分。"


def test_the_browser_time_zone_is_saved_and_times_are_shown_in_it(browser, user, task_row):
    task = task_row(status="completed")
    ProcessingTask.objects.filter(pk=task.pk).update(created_at=datetime(2026, 5, 1, 12, 0, tzinfo=UTC))
    assert "2026-05-01 12:00 UTC" in browser.get("/tasks/").content.decode()
    assert browser.post("/accounts/time-zone/", {"time_zone": "Not/AZone"}).status_code == 400
    assert browser.post("/accounts/time-zone/", {"time_zone": "Asia/Shanghai"}).status_code == 204
    assert Profile.objects.get(user=user).time_zone == "Asia/Shanghai"
    html = browser.get("/tasks/").content.decode()
    assert "2026-05-01 20:00 CST" in html and 'data-time-zone="Asia/Shanghai"' in html
    # A new session reads the zone from the account.
    again = Client(HTTP_ACCEPT_LANGUAGE="en")
    again.force_login(user)
    assert "2026-05-01 20:00 CST" in again.get("/tasks/").content.decode()


def test_api_errors_speak_the_requests_language(api):
    from tests.helpers import upload

    api.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    empty = api.post("/api/v1/tasks/", {"file": upload(b"", name="empty.txt"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert empty.status_code == 400 and empty.json() == {"detail": "文件是空的。", "code": "empty_file"}
    pair = api.post("/api/v1/quote/", {"file": upload(), "engine": "opencc", "source_lang": "en",
                                       "target_lang": "es"}, format="multipart")
    assert pair.json()["code"] == "unsupported_language_pair" and "英语 → 西班牙语" in pair.json()["detail"]


def test_signing_in_on_a_new_browser_brings_the_chosen_language(user):
    Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post("/accounts/login/", {"username": user.username, "password": "pw-Secret-123"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "zh-hans"
    assert '<html lang="zh-hans">' in browser.get("/").content.decode()
