from __future__ import annotations

import pytest
from django.test import Client

from credits.services import grant
from notifications.models import Notification
from notifications.services import notify
from tasks import services
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_the_credits_page_lists_the_ledger_with_the_task_it_concerns(browser, user, settings):
    task = services.create_task(user_id=user.pk, upload=upload(name="letter.txt"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    html = browser.get("/credits/").content.decode()
    assert "Welcome credits" in html and f"+{settings.ZHIYI_WELCOME_CREDITS:,}" in html
    assert f'<a href="/tasks/{task.pk}/" translate="no">letter.txt</a>' in html
    assert f"-{task.cost}" in html and "Reserved" in html


def test_the_credits_page_is_paginated(browser, user):
    for n in range(30):
        grant(user_id=user.pk, amount=1, reason=f"gift {n}")
    first = browser.get("/credits/").content.decode()
    assert first.count("<tr data-kind=") == 25 and "Page 1 of 2" in first
    assert browser.get("/credits/?page=2").content.decode().count("<tr data-kind=") == 6


def test_the_bell_shows_the_unread_count(browser, user):
    notify(user_id=user.pk, kind="system", title="One")
    notify(user_id=user.pk, kind="system", title="Two")
    html = browser.get("/").content.decode()
    assert 'id="bell-count" aria-label="unread" >2<' in html or 'id="bell-count" aria-label="unread">2<' in html
    assert 'data-stream="/sse/notifications/"' in html


def test_notifications_can_be_marked_read_one_and_all(browser, user):
    first = notify(user_id=user.pk, kind="system", title="First", url="/credits/")
    notify(user_id=user.pk, kind="system", title="Second")
    html = browser.get("/notifications/").content.decode()
    assert "First" in html and "Second" in html and 'id="read-all"' in html

    opened = browser.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert opened["Location"] == "/credits/"
    assert Notification.objects.filter(user=user, read_at=None).count() == 1
    browser.post("/notifications/read-all/")
    assert Notification.objects.filter(user=user, read_at=None).count() == 0
    assert 'id="read-all"' not in browser.get("/notifications/").content.decode()


def test_a_notification_link_never_leads_off_site(browser, user):
    evil = notify(user_id=user.pk, kind="system", title="x", url="https://evil.example/")
    assert browser.post(f"/notifications/{evil.pk}/read/", {"open": "1"})["Location"] == "/notifications/"


def test_someone_elses_notification_cannot_be_marked(user, other_user):
    mine = notify(user_id=user.pk, kind="system", title="mine")
    client = Client()
    client.force_login(other_user)
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None
