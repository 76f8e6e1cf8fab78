"""Helpers for the browser tests."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from credits.services import get_or_create_account
from tasks import services
from tests.helpers import upload

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def save_screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def long_text(lines: int = 40) -> str:
    """Distinct lines (the pipeline translates repeated lines once)."""
    return "".join(f"第{n}行：汉字简体转换测试，这里讨论发展与联系。\n" for n in range(lines))


def log_in(page, base: str, username: str, password: str = "pw-Secret-123") -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")


def user_with_tasks(count: int, lines: int):  # type: ignore[no-untyped-def]
    """A user "mei" with `count` queued tasks of `lines` distinct lines each."""
    user = get_user_model().objects.create_user("mei", password="pw-Secret-123")
    get_or_create_account(user_id=user.pk)
    tasks = [services.create_task(user_id=user.pk, upload=upload(long_text(lines), name=f"part-{n}.txt"),
                                  engine_name="opencc", source_lang="zh-Hans", target_lang="zh-Hant")
             for n in range(count)]
    return user, tasks
