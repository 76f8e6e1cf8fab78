"""The task list: one status, the cost really charged, language names, download and delete."""
from __future__ import annotations

import pytest

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
