"""The staff engines page: what works here, what the rest need, and a one-sentence test."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_the_page_lists_each_engine_with_what_it_needs(staff_client, settings):
    settings.ZHIYI_DEEPL_KEY = ""
    html = staff_client.get("/admin/operations/engines/").content.decode()
    assert 'data-engine="opencc"' in html and 'data-engine="deepl"' in html
    assert "ZHIYI_DEEPL_KEY" in html  # staff read the setting; users never do


def test_testing_an_engine_shows_its_answer(staff_client):
    html = staff_client.post("/admin/operations/engines/", {"engine": "opencc"}).content.decode()
    assert 'id="engine-answer"' in html and "這是一個用於測試翻譯引擎的句子。" in html


def test_testing_an_unavailable_engine_shows_why(staff_client, settings):
    settings.ZHIYI_LIBRETRANSLATE_URL = ""
    html = staff_client.post("/admin/operations/engines/", {"engine": "libretranslate"}).content.decode()
    assert 'id="engine-error"' in html and "ZHIYI_LIBRETRANSLATE_URL" in html


def test_testing_an_engine_that_errors_shows_the_error(staff_client, settings):
    settings.ZHIYI_LIBRETRANSLATE_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port
    settings.ZHIYI_HTTP_RETRIES = 0
    html = staff_client.post("/admin/operations/engines/", {"engine": "libretranslate"}).content.decode()
    assert 'id="engine-error"' in html and "EngineError" in html


def test_the_page_is_for_staff_only(client, user):
    client.force_login(user)
    assert client.get("/admin/operations/engines/").status_code == 302
