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
