"""The site in a real browser: forms, messages, languages (no live stream needed)."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from credits.selectors import balance_of
from credits.services import adjust, get_or_create_account
from tasks.models import ProcessingTask
from tests.e2e.conftest import long_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def log_in(page, base: str, username: str, password: str = "pw-Secret-123") -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")


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
