"""Jobs in the admin: pages with their tasks; actions act on the tasks through the services."""
from __future__ import annotations

import pytest

from credits.selectors import balance_of, find_breaches
from jobs import services
from jobs.models import Job
from tasks.models import ProcessingTask, TaskEvent
from tests.jobs.helpers import three_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_staff_see_jobs_with_their_tasks_and_cancel_them_through_the_services(staff_client, user, real_queue):
    before = balance_of(user_id=user.pk)
    job = services.create_job(user_id=user.pk, uploads=three_documents(), engine_name="opencc",
                              source_lang="zh-Hans", target_langs=["zh-Hant", "zh-TW"])
    assert staff_client.get("/admin/jobs/job/").status_code == 200
    page = staff_client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert page.status_code == 200 and page.content.decode().count("manual.docx") >= 2
    response = staff_client.post("/admin/jobs/job/", {"action": "cancel_jobs", "_selected_action": [job.pk]})
    assert response.status_code == 302
    assert set(ProcessingTask.objects.values_list("status", flat=True)) == {"cancelled"}
    assert balance_of(user_id=user.pk) == before and find_breaches() == []
    assert TaskEvent.objects.filter(actor="staff:root").count() == 6
    staff_client.post("/admin/jobs/job/", {"action": "delete_jobs_with_files", "_selected_action": [job.pk]})
    assert not Job.objects.exists() and not ProcessingTask.objects.exists()
