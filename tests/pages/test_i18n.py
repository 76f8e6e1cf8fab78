from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_browser_language_picks_chinese(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "新建翻译" in html and "余额" in html and "开始翻译" in html


def test_the_switcher_sets_the_language_for_later_pages(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert "New translation" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    html = client.get("/credits/").content.decode()
    assert "积分" in html and "Credits" not in html.split("<main")[1]


def test_the_login_page_is_translated():
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/accounts/login/").content.decode()
    assert "登录" in html and "注册" in html


def test_worker_messages_and_statuses_show_in_chinese(user, monkeypatch):
    from tasks import services
    from tasks.models import ProcessingTask
    from tests.helpers import upload

    monkeypatch.setattr(services, "enqueue", lambda task_id: None)
    task = services.create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant")
    ProcessingTask.objects.filter(pk=task.pk).update(status="processing", message_code="translating",
                                                       message_params={"done": 3, "total": 10})
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "正在翻译第 3 / 10 段" in html and "处理中" in html and "简体中文 → 繁体中文" in html
