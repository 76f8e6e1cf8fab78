"""Live progress in a real browser: daphne serves the pages and the SSE streams, a qcluster
subprocess translates (OpenCC slowed per segment, see slowdown/sitecustomize.py)."""
from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from credits.services import get_or_create_account
from tasks import services
from tasks.documents import HANDLERS
from tasks.models import ProcessingTask
from tests.e2e.support import log_in, long_text, save_screenshot, user_with_tasks
from tests.helpers import upload
from tests.servers import free_port, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

# Records every value the progress bar shows, and marks the document so a reload would show.
WATCH_PROGRESS = """
() => {
  window.__noReload = true;
  window.__seen = [];
  const bar = document.querySelector('[data-progress]');
  new MutationObserver(() => window.__seen.push(Number(bar.getAttribute('aria-valuenow'))))
    .observe(bar, {attributes: true, attributeFilter: ['aria-valuenow']});
}
"""


def _expected_translation(text: str) -> list[str]:
    import opencc

    convert = opencc.OpenCC("s2t").convert
    return [convert(line) for line in text.splitlines()]


def _document(tmp_path, text: str):  # type: ignore[no-untyped-def]
    """A small DOCX once the DOCX handler exists; plain text until then."""
    if "docx" in HANDLERS:
        import docx

        document = docx.Document()
        for line in text.splitlines():
            document.add_paragraph(line)
        path = tmp_path / "letter.docx"
        document.save(str(path))
        return path
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _read_result(path) -> list[str]:  # type: ignore[no-untyped-def]
    data = path.read_bytes()
    if data[:2] == b"PK":
        import docx

        return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    return data.decode("utf-8").splitlines()


def test_sign_up_quote_start_watch_progress_and_download(page, stack, tmp_path, real_queue):
    stack["start_worker"](delay=0.1)
    base = stack["start_web"]()
    text = long_text(50)
    expected = _expected_translation(text)

    page.goto(base + "/accounts/signup/")
    page.get_by_label("Username").fill("wen")
    page.get_by_label("Email").fill("wen@example.com")
    page.get_by_label("Password", exact=True).fill("Tr4nslate-me!")
    page.get_by_label("Password confirmation").fill("Tr4nslate-me!")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(base + "/")
    assert page.locator("#balance").inner_text() == f"{settings.ZHIYI_WELCOME_CREDITS:,}"

    page.get_by_label("Document").set_input_files(str(_document(tmp_path, text)))
    page.locator("#quote").wait_for(state="visible")
    characters = int(page.locator("#quote-characters").inner_text().replace(",", ""))
    cost = int(page.locator("#quote-cost").inner_text())
    assert characters == sum(len(line) for line in text.splitlines())
    assert int(page.locator("#quote-balance-after").inner_text()) == settings.ZHIYI_WELCOME_CREDITS - cost
    save_screenshot(page, "dashboard.png")

    page.get_by_role("button", name="Start translation").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    page.evaluate(WATCH_PROGRESS)
    # Locator waits, not wait_for_function: that evaluates a string, which the site's CSP forbids.
    page.locator("[data-progress][aria-valuenow='100']").wait_for(state="attached", timeout=60000)
    assert page.evaluate("window.__noReload") is True  # reached 100 % without a reload
    seen = page.evaluate("window.__seen")
    assert any(0 < value < 100 for value in seen), seen  # and moved on the way
    assert seen == sorted(seen)
    assert page.locator("#task-status").inner_text() == "Completed"
    page.locator("#money-charged").filter(has_text=str(cost)).wait_for()
    assert page.locator("#cancel-form").is_hidden()
    assert [s for s in page.evaluate("window.__streams") if "/sse/tasks/" in s] == [
        page.url.replace(base, "").replace("/tasks/", "/sse/tasks/")]
    save_screenshot(page, "task-detail.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the translation").click()
    assert _read_result(download.value.path()) == expected
    # The bell counts the "translated" notification that arrived over the notifications stream.
    page.locator("#bell-count").filter(has_text="1").wait_for()


def test_the_task_list_updates_three_running_tasks_over_one_stream(page, stack, real_queue):
    user, tasks = user_with_tasks(3, lines=50)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    stack["start_worker"](delay=0.1)
    wait_for(lambda: ProcessingTask.objects.filter(status="processing").count() == 3, timeout=30)

    page.goto(base + "/tasks/")
    page.evaluate("window.__noReload = true")
    for task in tasks:
        row = page.locator(f'tr[data-task-id="{task.pk}"]')
        row.locator('[data-progress][aria-valuenow="100"]').wait_for(timeout=60000)
        assert row.locator("[data-status-label]").inner_text() == "Completed"
        # Once ended, the row is redrawn by the server: the points really charged, its download.
        row.locator(f'a[href="/api/v1/tasks/{task.pk}/result/"]').wait_for(timeout=30000)
        task.refresh_from_db()
        assert page.locator(f'tr[data-task-id="{task.pk}"] td.num').inner_text() == f"{task.charged:,}"
    assert page.evaluate("window.__noReload") is True
    streams = page.evaluate("window.__streams")
    assert [s for s in streams if "/sse/tasks/" in s] == ["/sse/tasks/"], streams


def test_the_detail_page_reconnects_after_a_web_server_restart(page, stack, real_queue):
    user, (task,) = user_with_tasks(1, lines=80)
    port = free_port()
    base = stack["start_web"](port=port)
    log_in(page, base, "mei")
    page.goto(f"{base}/tasks/{task.pk}/")
    page.evaluate(WATCH_PROGRESS)
    stack["start_worker"](delay=0.1)
    page.locator("[data-progress]:not([aria-valuenow='0'])").wait_for(state="attached", timeout=30000)

    stack["stop_web"]()
    page.locator("#conn").filter(has_text="reconnecting").wait_for()
    wait_for(lambda: ProcessingTask.objects.get(pk=task.pk).status == "completed", timeout=60)
    stack["start_web"](port=port)

    page.locator("#task-status").filter(has_text="Completed").wait_for(timeout=30000)
    assert page.locator("[data-progress]").get_attribute("aria-valuenow") == "100"
    assert page.locator("#conn").is_hidden()
    assert page.locator("#download").is_visible()
    assert page.evaluate("window.__noReload") is True


def test_a_task_created_elsewhere_appears_in_the_list_and_read_state_follows_across_tabs(page, stack):
    """The list page inserts the server-rendered row of a task created in another process (the
    API, another tab); a notification marked read in one tab is read in the other (BroadcastChannel)."""
    user = get_user_model().objects.create_user("mei", password="pw-Secret-123")
    get_or_create_account(user_id=user.pk)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    page.goto(base + "/tasks/")
    page.locator("td.empty").wait_for()
    page.evaluate("window.__noReload = true")

    # Created in the test process and translated there at once (the in-process queue).
    task = services.create_task(user_id=user.pk, upload=upload(name="from-elsewhere.txt"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    row = page.locator(f'tr[data-task-id="{task.pk}"]')
    row.get_by_role("link", name="from-elsewhere.txt", exact=True).wait_for()
    row.locator("[data-status-label]").filter(has_text="Completed").wait_for()
    assert page.locator("td.empty").count() == 0
    page.locator("#bell-count").filter(has_text="1").wait_for()  # its notification, over the bell's stream
    assert page.evaluate("window.__noReload") is True
    assert [s for s in page.evaluate("window.__streams") if "/sse/tasks" in s] == ["/sse/tasks/"]

    other = page.context.new_page()
    other.goto(base + "/notifications/")
    other.evaluate("window.__noReload = true")
    assert other.locator("#notification-list li.unread").count() == 1
    page.goto(base + "/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.locator("#read-all").wait_for(state="detached")
    other.locator("#bell-count").wait_for(state="hidden")
    other.locator("#notification-list li.read").wait_for()
    assert other.locator("#notification-list li.unread").count() == 0 and other.locator("#read-all").count() == 0
    assert other.evaluate("window.__noReload") is True
