"""The job pages, server-rendered: the job page lists every document × language, its actions
work without JavaScript, and someone else's job is a 404."""
from __future__ import annotations

import pytest
from django.test import Client

from credits.selectors import balance_of
from jobs import services
from tasks.models import ProcessingTask
from tests.jobs.helpers import three_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _job(user):
    return services.create_job(user_id=user.pk, uploads=three_documents(), engine_name="opencc",
                               source_lang="zh-Hans", target_langs=["zh-Hant", "zh-TW"])


def test_the_job_page_lists_every_document_and_language(browser, user, real_queue):
    job = _job(user)
    page = browser.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-task-id=") == 6
    assert f'data-stream="/sse/jobs/{job.pk}/"' in html and "zhiyi/job.js" in html
    assert "/sse/tasks/" not in html.split('id="job-tasks"')[1]  # one stream for the page, none per task
    assert f"/jobs/{job.pk}/" in browser.get("/jobs/").content.decode()


def test_cancel_all_and_retry_one_from_the_page(browser, user, real_queue):
    before = balance_of(user_id=user.pk)
    job = _job(user)
    assert browser.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    assert set(ProcessingTask.objects.values_list("status", flat=True)) == {"cancelled"}
    assert balance_of(user_id=user.pk) == before
    task = ProcessingTask.objects.first()
    assert browser.post(f"/jobs/{job.pk}/tasks/{task.pk}/retry/").status_code == 302
    task.refresh_from_db()
    assert task.status == "queued"


def test_someone_elses_job_page_is_not_found(user, other_user, real_queue):
    job = _job(user)
    client = Client()
    client.force_login(other_user)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
