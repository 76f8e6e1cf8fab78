from __future__ import annotations

import json
import math

import pytest
from django.test import Client

from credits.selectors import balance_of
from credits.services import adjust
from tasks.models import ProcessingTask
from tasks.translation import linguistic_assets
from tests.helpers import SIMPLIFIED, upload

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {"file": upload(), "engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant", **extra}


def test_dashboard_shows_balance_form_and_engines(browser, settings):
    html = browser.get("/").content.decode()
    assert f'id="balance" class="big">{settings.ZHIYI_WELCOME_CREDITS:,}<' in html
    assert 'id="new-task"' in html and 'name="file"' in html and '<label for="file">' in html
    assert 'value="opencc"' in html and 'data-pairs="zh-Hans>zh-Hant,' in html
    # Default pair is Simplified → Traditional.
    assert '<option value="zh-Hans" selected>' in html and '<option value="zh-Hant" selected>' in html


def test_unavailable_engines_are_disabled_with_their_reason(browser, settings):
    settings.ZHIYI_ENGINES = ["opencc", "external"]
    settings.ZHIYI_EXTERNAL_URL = ""
    html = browser.get("/").content.decode()
    external = html[html.index('value="external"'):]
    external = external[:external.index("</option>")]
    assert " disabled" in external and "unavailable" in external


def test_the_dashboard_says_which_pairs_work_now_and_how_to_get_more(browser, user, settings):
    settings.ZHIYI_ENGINES = ["opencc", "libretranslate", "deepl"]
    settings.ZHIYI_LIBRETRANSLATE_URL, settings.ZHIYI_DEEPL_KEY = "", ""
    html = browser.get("/").content.decode()
    now = html[html.index('id="pairs-now"'):html.index('id="pairs-more"')]
    assert "Chinese (Simplified) → Chinese (Hong Kong), Chinese (Traditional)" in now  # grouped by source
    assert "LibreTranslate" not in now
    more = html[html.index('id="pairs-more"'):]
    assert "No LibreTranslate server is connected" in more and "ZHIYI_" not in more  # users never read settings
    settings.ZHIYI_LIBRETRANSLATE_URL = "http://127.0.0.1:5000"
    html = browser.get("/").content.decode()
    assert "between any two of: " in html and "English, French" in html  # many pairs read as languages
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert "<code>ZHIYI_DEEPL_KEY</code>" in browser.get("/").content.decode()  # staff read what it needs


def test_the_plain_form_post_creates_a_task_and_opens_its_page(browser, user):
    response = browser.post("/", _form(idempotency_key="k1"))
    task = ProcessingTask.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    # Submitting the same rendered form again (double click) does not create a second task.
    again = browser.post("/", _form(idempotency_key="k1"))
    assert again["Location"] == f"/tasks/{task.pk}/" and ProcessingTask.objects.count() == 1


def test_insufficient_credits_shows_the_message_and_creates_nothing(browser, user):
    adjust(user_id=user.pk, amount=-balance_of(user_id=user.pk), reason="test: empty the account")
    response = browser.post("/", _form())
    assert response.status_code == 402
    assert "Not enough credits: this needs 1 points and your balance is 0." in response.content.decode()
    assert ProcessingTask.objects.count() == 0


def test_a_wrong_file_type_is_reported_next_to_the_file_field(browser):
    response = browser.post("/", _form(file=upload(b"\x00\x01", name="photo.exe")))
    assert response.status_code == 415
    html = response.content.decode()
    error = html[html.index('id="file-error"'):]
    assert error.index("This type of file is not supported") < error.index("</p>")
    assert ProcessingTask.objects.count() == 0


def test_a_missing_file_is_reported_next_to_the_file_field(browser):
    response = browser.post("/", {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"})
    assert response.status_code == 400 and "Choose a file to translate." in response.content.decode()


def test_an_unsupported_pair_is_reported_next_to_the_target_language(browser):
    response = browser.post("/", _form(source_lang="zh-Hans", target_lang="en"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "does not translate between these languages" in html[html.index('id="target_lang-error"'):]


def test_a_too_large_file_is_reported_plainly(browser, settings):
    settings.ZHIYI_MAX_UPLOAD_MB = 1
    response = browser.post("/", _form(file=upload(SIMPLIFIED * 40000)))
    assert response.status_code == 413 and "larger than the 1 MB limit" in response.content.decode()


def test_the_bilingual_option_reaches_the_task(browser, user):
    browser.post("/", _form(bilingual="1"))
    assert ProcessingTask.objects.get(user=user).options == {"bilingual": True}


def test_the_pairs_read_as_a_chinese_list_in_chinese(user, settings):
    from django.test import Client

    settings.ZHIYI_ENGINES = ["opencc"]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    html = client.get("/").content.decode()
    now = html[html.index('id="pairs-now"'):]
    assert "简体中文 → 中文（香港）、繁体中文" in now[:now.index("</ul>")]


def _quote_texts(html: str) -> dict:
    start = html.index('<script id="quote-texts" type="application/json">') + len(
        '<script id="quote-texts" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_the_quote_is_explained_before_paying_in_the_pages_words(browser, user):
    html = browser.get("/").content.decode()
    box = html[html.index('id="quote"'):html.index('id="quote-refused"')]
    for field in ("quote-characters-text", "quote-memory", "quote-billed", "quote-rate", "quote-cost-text",
                  "quote-balance-after-text", "quote-total-characters", "quote-total-memory", "quote-total-saved",
                  "quote-total"):
        assert f'id="{field}"' in box
    assert "From translation memory" in box and "Price" in box and "Balance after" in box
    texts = _quote_texts(html)
    assert texts["rate"] == {"count": "count", "one": "%(count)s point per 1,000 characters",
                             "other": "%(count)s points per 1,000 characters"}
    assert texts["characters"]["one"] == "%(count)s character" and texts["memory"] == "%(characters)s (saves %(points)s)"
    assert '<script src="/static/zhiyi/quote.js" defer></script><script src="/static/zhiyi/upload.js"' in html

    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(user)
    html = chinese.get("/").content.decode()
    texts = _quote_texts(html)
    assert texts["rate"]["one"] == texts["rate"]["other"] == "每 1,000 字符 %(count)s 积分"
    assert texts["points"]["other"] == "%(count)s 积分" and "翻译记忆" in html[html.index('id="quote"'):]


def test_the_quote_gives_the_figures_the_explanation_shows(browser, user, settings):
    settings.ZHIYI_RATES = {**settings.ZHIYI_RATES, "opencc": 100}
    settings.ZHIYI_MIN_CHARGE = 1
    lines = ["汉字简体转换测试，第一行。", "这是第二行，包含发展与联系。", "第三行也要翻译成繁体中文。"]
    memory, _glossary = linguistic_assets(user_id=user.pk, engine_name="opencc", source="zh-Hans", target="zh-Hant",
                                          glossary_id=None)
    memory.store({lines[0]: "漢字簡體轉換測試，第一行。"})  # what an earlier translation left
    answer = browser.post("/api/v1/quote/", {**_form(file=upload("\n".join(lines) + "\n"))}).json()
    remembered = len(lines[0])
    assert (answer["characters"], answer["memory_characters"]) == (sum(map(len, lines)), remembered)
    assert answer["billed_characters"] == answer["characters"] - remembered
    assert answer["rate_per_1000"] == 100
    assert answer["cost"] == math.ceil(answer["billed_characters"] * 100 / 1000)
    assert answer["memory_points"] == math.ceil(answer["characters"] * 100 / 1000) - answer["cost"] > 0
    assert answer["balance_after"] == balance_of(user_id=user.pk) - answer["cost"]

    # A job's quote: the same figures per document and language, and summed.
    job = browser.post("/api/v1/quote/", {"files": [upload("\n".join(lines) + "\n", name="a.txt"),
                                                    upload("\n".join(lines) + "\n", name="b.txt")],
                                          "engine": "opencc", "source_lang": "zh-Hans",
                                          "target_langs": "zh-Hant"}).json()
    first, second = job["documents"]
    assert (first["memory_points"], first["cost"]) == (answer["memory_points"], answer["cost"])
    assert second["memory_characters"] == second["characters"] and second["cost"] == 1
    assert second["memory_points"] == math.ceil(answer["characters"] * 100 / 1000) - 1
    assert job["memory_points"] == first["memory_points"] + second["memory_points"]
    assert job["rate_per_1000"] == 100 and job["total"] == first["cost"] + 1
