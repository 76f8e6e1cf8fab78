"""The site in a real browser: forms, messages, languages (no live stream needed)."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from credits.selectors import balance_of
from credits.services import adjust, get_or_create_account
from tasks.engines import get_engine
from tasks.models import ProcessingTask
from tasks.services import quote_document
from tasks.translation import linguistic_assets
from tests.e2e.support import log_in, long_text, user_with_tasks
from tests.servers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_insufficient_credits_shows_the_message_and_creates_nothing(page, stack, tmp_path):
    user = get_user_model().objects.create_user("poor", password="pw-Secret-123")
    get_or_create_account(user_id=user.pk)
    adjust(user_id=user.pk, amount=-(balance_of(user_id=user.pk) - 1), reason="test: leave one point")
    base = stack["start_web"]()
    log_in(page, base, "poor")
    document = tmp_path / "big.txt"
    document.write_text(long_text(200), encoding="utf-8")

    page.get_by_label("Document").set_input_files(str(document))
    error = page.locator("#form-error")
    error.wait_for(state="visible")
    assert "Not enough credits" in error.inner_text() and "your balance is 1" in error.inner_text()
    assert page.locator("#quote").is_visible()
    assert int(page.locator("#quote-balance-after").inner_text()) < 0
    assert page.locator("#start").is_disabled()
    assert ProcessingTask.objects.count() == 0 and balance_of(user_id=user.pk) == 1


def test_switching_to_chinese_translates_the_pages(page, stack):
    get_user_model().objects.create_user("lin", password="pw-Secret-123")
    base = stack["start_web"]()
    log_in(page, base, "lin")
    assert page.get_by_role("heading", name="New translation").is_visible()

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("heading", name="新建翻译").wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button", name="开始翻译").is_visible()
    page.get_by_role("link", name="积分").click()
    page.get_by_role("heading", name="明细").wait_for()
    assert "欢迎" in page.content() or "Welcome credits" in page.content()  # the ledger row (reason text)
    page.get_by_role("link", name="任务").click()
    assert page.get_by_role("heading", name="翻译任务").is_visible()


def test_cancel_a_running_task_and_see_the_refund(page, stack, real_queue):
    user, (task,) = user_with_tasks(1, lines=200)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    stack["start_worker"](delay=0.1)
    wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == "processing", timeout=30)

    page.goto(f"{base}/tasks/{task.pk}/")
    page.get_by_role("button", name="Cancel").click()
    page.locator("#task-status").filter(has_text="Cancelled").wait_for()
    assert page.locator("#retry-form").is_visible() and page.locator("#cancel-form").is_hidden()
    assert page.locator("#money-refunded").inner_text() == str(task.cost)

    page.get_by_role("link", name="Credits").click()
    refund = page.locator('tr[data-kind="refund"]')
    assert f"+{task.cost}" in refund.inner_text() and "part-0.txt" in refund.inner_text()
    assert page.locator("#balance").inner_text() == f"{settings.ZHIYI_WELCOME_CREDITS:,}"
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS


def test_the_dashboard_fits_a_phone_and_the_form_works_by_keyboard(page, stack):
    get_user_model().objects.create_user("kai", password="pw-Secret-123")
    base = stack["start_web"]()
    log_in(page, base, "kai")
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/", "/tasks/", "/credits/", "/notifications/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path

    page.goto(base + "/")
    reached = []
    for _ in range(30):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    wanted = ["file", "engine", "source_lang", "target_lang", "start"]
    positions = [reached.index(name) for name in wanted]
    assert positions == sorted(positions), reached


def test_sign_up_upload_start_and_download_through_the_pages(page, stack, tmp_path, real_queue):
    """The whole path through the pages with a plain-text file, not relying on the live stream (the
    page catches up from the API when the stream is missing). The README screenshots are made
    by the live DOCX test in test_live_e2e.py."""
    import opencc

    rate = {"ZHIYI_RATE_OPENCC": "100"}  # dear enough that translation memory saves points
    stack["start_worker"](**rate)
    base = stack["start_web"](**rate)
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Username").fill("yun")
    page.get_by_label("Email").fill("yun@example.com")
    page.get_by_label("Password", exact=True).fill("Tr4nslate-me!")
    page.get_by_label("Password confirmation").fill("Tr4nslate-me!")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(base + "/")
    assert page.locator("#balance").inner_text() == f"{settings.ZHIYI_WELCOME_CREDITS:,}"

    text = long_text(12)
    document = tmp_path / "letter.txt"
    document.write_text(text, encoding="utf-8")
    user = get_user_model().objects.get(username="yun")
    convert = opencc.OpenCC("s2t").convert
    first = text.splitlines()[0]
    memory, _glossary = linguistic_assets(user_id=user.pk, engine_name="opencc", source="zh-Hans",
                                          target="zh-Hant", glossary_id=None)
    memory.store({first: convert(first)})  # an earlier translation's line
    page.get_by_label("Document").set_input_files(str(document))
    page.locator("#quote").wait_for(state="visible")
    cost = int(page.locator("#quote-cost").inner_text())

    # The quote explained before paying, with the API's figures, grouped and in their plural forms.
    with override_settings(ZHIYI_RATES={**settings.ZHIYI_RATES, "opencc": 100}):
        quote = quote_document(filename="letter.txt", data=text.encode(), engine=get_engine("opencc"),
                               user_id=user.pk, source_lang="zh-Hans", target_lang="zh-Hant")
    assert quote.memory_points > 0 and cost == quote.cost and ProcessingTask.objects.count() == 0
    assert page.locator("#quote-characters-text").inner_text() == f"{quote.characters:,} characters"
    assert page.locator("#quote-memory").inner_text() == (
        f"{quote.memory_characters:,} characters (saves {quote.memory_points:,} points)")
    assert page.locator("#quote-billed").inner_text() == f"{quote.billed_characters:,} characters"
    assert page.locator("#quote-rate").inner_text() == "100 points per 1,000 characters"
    assert page.locator("#quote-cost-text").inner_text() == f"{quote.cost:,} points"
    balance_after = settings.ZHIYI_WELCOME_CREDITS - quote.cost
    assert page.locator("#quote-balance-after-text").inner_text() == f"{balance_after:,} points"

    page.get_by_role("button", name="Start translation").click()
    page.locator("#task-status").filter(has_text="Completed").wait_for(timeout=30000)
    page.locator("#money-charged").filter(has_text=str(cost)).wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the translation").click()
    assert download.value.path().read_text(encoding="utf-8").splitlines() == [
        convert(line) for line in text.splitlines()]
    assert ProcessingTask.objects.get().charged == cost
