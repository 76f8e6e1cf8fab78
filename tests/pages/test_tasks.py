from __future__ import annotations

import re

import pytest
from django.test import Client

from credits.selectors import balance_of
from tasks import services
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def _create(user, name="doc.txt", content=None):
    kwargs = {"upload": upload(name=name) if content is None else upload(content, name=name)}
    return services.create_task(user_id=user.pk, engine_name="opencc", source_lang="zh-Hans",
                                target_lang="zh-Hant", **kwargs)


@pytest.fixture
def queued(user, settings, monkeypatch):
    """Tasks stay queued: the enqueue is a no-op here."""
    monkeypatch.setattr(services, "enqueue", lambda task_id: None)
    return lambda **kw: _create(user, **kw)


def test_a_running_task_page_shows_progress_and_refreshes_without_javascript(browser, queued):
    task = queued()
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html
    assert f'data-stream="/sse/tasks/{task.pk}/"' in html and f'data-version="{task.version}"' in html
    assert re.search(r'<form id="cancel-form"[^>]*action="/tasks/\d+/cancel/">', html)  # not hidden
    assert re.search(r'<form id="retry-form"[^>]*hidden>', html)
    assert re.search(r'<a id="download"[^>]*hidden>', html)


def test_a_completed_task_page_offers_the_download_and_does_not_refresh(browser, user,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = _create(user)  # the worker runs in-process (sync queue)
    task.refresh_from_db()
    assert task.status == "completed"
    html = browser.get(f"/tasks/{task.pk}/").content.decode()
    assert "http-equiv=\"refresh\"" not in html
    assert f'<a id="download" class="button primary" href="/api/v1/tasks/{task.pk}/result/">' in html
    assert 'aria-valuenow="100"' in html
    assert f'id="money-charged">{task.charged}<' in html
    download = browser.get(f"/api/tasks/{task.pk}/result/")
    assert "漢字".encode() in b"".join(download.streaming_content)


def test_cancel_from_the_page_refunds_and_shows_retry(browser, user, queued):
    before = balance_of(user_id=user.pk)
    task = queued()
    response = browser.post(f"/tasks/{task.pk}/cancel/", follow=True)
    html = response.content.decode()
    assert "cancelled and its points refunded" in html
    assert ProcessingTask.objects.get(pk=task.pk).status == "cancelled"
    assert balance_of(user_id=user.pk) == before
    assert f'id="money-refunded">{task.cost}<' in html
    assert re.search(r'<form id="cancel-form"[^>]*hidden>', html)
    assert not re.search(r'<form id="retry-form"[^>]*hidden>', html)


def test_cancel_is_refused_once_the_task_ended(browser, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = _create(user)
    response = browser.post(f"/tasks/{task.pk}/cancel/", follow=True)
    assert "cannot be cancelled" in response.content.decode()
    assert ProcessingTask.objects.get(pk=task.pk).status == "completed"


def test_retry_from_the_page_queues_the_task_again(browser, queued):
    task = queued()
    browser.post(f"/tasks/{task.pk}/cancel/")
    browser.post(f"/tasks/{task.pk}/retry/")
    assert ProcessingTask.objects.get(pk=task.pk).status == "queued"


def test_another_users_task_is_a_404_on_every_page(queued, other_user):
    task = queued()
    client = Client()
    client.force_login(other_user)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/tasks/{task.pk}/cancel/").status_code == 404
    assert client.post(f"/tasks/{task.pk}/retry/").status_code == 404
    assert ProcessingTask.objects.get(pk=task.pk).status == "queued"


def test_the_task_list_filters_by_status_searches_by_name_and_paginates(browser, queued):
    for n in range(22):
        queued(name=f"report-{n}.txt")
    notes = queued(name="notes.txt")
    browser.post(f"/tasks/{notes.pk}/cancel/")

    first = browser.get("/tasks/").content.decode()
    assert first.count("data-task-id=") == 20 and "Page 1 of 2" in first and 'rel="next"' in first
    assert first.count('data-live-tasks="/sse/tasks/"') == 1
    second = browser.get("/tasks/?page=2").content.decode()
    assert second.count("data-task-id=") == 3

    cancelled = browser.get("/tasks/?status=cancelled").content.decode()
    assert cancelled.count("data-task-id=") == 1 and "notes.txt" in cancelled
    found = browser.get("/tasks/?q=REPORT-1").content.decode()
    assert found.count("data-task-id=") == 11  # report-1, report-10 … report-19
    assert browser.get("/tasks/?q=nothing-like-this").content.decode().count("data-task-id=") == 0


def test_rows_carry_what_the_live_script_needs(browser, queued):
    task = queued()
    html = browser.get("/tasks/").content.decode()
    row = html[html.index(f'data-task-id="{task.pk}"'):]
    row = row[:row.index("</tr>")]
    assert f'data-version="{task.version}"' in row and "data-status-label" in row
    assert 'role="progressbar"' in row and 'aria-valuenow="0"' in row
