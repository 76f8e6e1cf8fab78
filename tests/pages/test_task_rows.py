"""The task list: one status, the cost really charged, language names, download and delete."""
from __future__ import annotations

import pytest
from django.test import Client

from tasks.models import ProcessingTask

pytestmark = pytest.mark.django_db


def _row(html: str, task: ProcessingTask) -> str:
    start = html.index(f'data-task-id="{task.pk}"')
    return html[start:html.index("</tr>", start)]


def test_a_row_says_its_status_once_and_the_cost_really_charged(browser, task_row):
    done = task_row(status="completed", cost=9, charged=4, message_code="done", source_lang="en", target_lang="es")
    failed = task_row(status="failed", cost=9, charged=0, message_code="failed")
    running = task_row(status="processing", cost=7, message_code="translating",
                       message_params={"done": 1, "total": 2})
    html = browser.get("/tasks/").content.decode()
    row = _row(html, done)
    assert "Completed" in row and ">Done<" not in row and "English → Spanish" in row
    assert '<td class="num">4</td>' in row and f'href="/api/v1/tasks/{done.pk}/result/"' in row
    assert "0 <span" in _row(html, failed) and "refunded" in _row(html, failed)
    assert "Translating 1 / 2 segments" in _row(html, running) and "reserved" in _row(html, running)
    assert "/delete/" not in _row(html, running)  # a running task is cancelled first


def test_deleting_from_the_list_asks_first(browser, task_row):
    task = task_row(status="completed")
    page = browser.get(f"/tasks/{task.pk}/delete/")
    assert page.status_code == 200 and b'id="confirm-delete"' in page.content
    assert ProcessingTask.objects.filter(pk=task.pk).exists()  # asking deletes nothing
    response = browser.post(f"/tasks/{task.pk}/delete/")
    assert response.status_code == 302 and not ProcessingTask.objects.filter(pk=task.pk).exists()


def test_a_running_task_is_not_deleted(browser, task_row):
    task = task_row(status="processing")
    response = browser.post(f"/tasks/{task.pk}/delete/", follow=True)
    assert ProcessingTask.objects.filter(pk=task.pk).exists() and b"cancel it before deleting" in response.content


def test_someone_elses_task_cannot_be_deleted(browser, task_row, other_user):
    task = task_row(owner=other_user, status="completed")
    assert browser.post(f"/tasks/{task.pk}/delete/").status_code == 404


def test_an_empty_list_says_what_to_do(browser):
    html = browser.get("/tasks/").content.decode()
    assert 'class="empty"' in html and '<a href="/">Upload a document</a>' in html


def test_the_unfiltered_first_page_asks_for_new_rows_and_the_fragment_renders_them_like_the_page(
        browser, task_row, other_user):
    older = task_row(status="completed", filename="older.txt")
    html = browser.get("/tasks/").content.decode()
    assert 'data-live-rows="/tasks/rows/" data-page-size="20"' in html
    for filtered in ("/tasks/?status=completed", "/tasks/?q=older", "/tasks/?page=2"):
        if filtered.endswith("page=2"):
            for n in range(20):
                task_row(filename=f"more-{n}.txt")
        assert "data-live-rows" not in browser.get(filtered).content.decode(), filtered
    assert "data-live-rows" not in browser.get("/").content.decode()  # the dashboard keeps its ten

    newer = task_row(status="queued", filename="newer.txt", message_code="queued")
    task_row(owner=other_user, filename="theirs.txt")
    fragment = browser.get(f"/tasks/rows/?after={newer.pk - 1}").content.decode()
    assert fragment.count("<tr ") == 1 and "newer.txt" in fragment and "theirs.txt" not in fragment
    page = browser.get("/tasks/").content.decode()
    assert _row(fragment, newer) == _row(page, newer)  # the same markup as the server-rendered list
    assert browser.get("/tasks/rows/?after=nonsense").content.decode().count("<tr ") == 20  # a page at most
    assert f'data-task-id="{older.pk}"' not in browser.get(f"/tasks/rows/?after={older.pk}").content.decode()
    assert Client().get("/tasks/rows/").status_code == 302  # to the login page
