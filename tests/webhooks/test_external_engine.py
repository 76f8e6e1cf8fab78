"""The external engine's submission (against the reference service), its availability, the
system check, and the reaper's deadline for tasks that never hear back."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from credits.selectors import balance_of, find_breaches
from tasks import processor, services
from tasks.engines.external import ExternalEngine
from tasks.jobs import reap as reap_tasks
from tasks.models import ProcessingTask, Status
from tasks.webhooks.checks import check_webhook
from tests.helpers import upload
from tests.webhooks.conftest import SECRET, WEBHOOK_PATH, event, signed
from tools.external_service import ExternalService

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(settings):
    # A long delay: these tests stop at the submission; no webhook is sent.
    with ExternalService(secret=SECRET, delay_s=60) as svc:
        settings.ZHIYI_EXTERNAL_URL = svc.base_url + "/jobs"
        settings.ZHIYI_PUBLIC_URL = "http://127.0.0.1:9"
        yield svc


def _create(user) -> ProcessingTask:
    return services.create_task(user_id=user.pk, upload=upload(), engine_name="external",
                                source_lang="zh-Hans", target_lang="zh-Hant")


def test_the_worker_submits_the_document_and_leaves_the_task_waiting_for_the_webhook(user, service, settings):
    task = _create(user)
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == Status.WAITING_EXTERNAL and task.external_id.startswith("ext_")
    assert timedelta(seconds=settings.ZHIYI_EXTERNAL_DEADLINE_S - 60) < task.deadline_at - timezone.now() \
        <= timedelta(seconds=settings.ZHIYI_EXTERNAL_DEADLINE_S)
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.cost  # still reserved
    assert list(service.jobs) == [f"zhiyi-{task.pk}-1"]


def test_a_worker_that_died_after_submitting_gets_the_same_external_job_back(user, service):
    task = _create(user)
    services.claim_task(task_id=task.pk)
    first = ExternalEngine().submit(task_id=task.pk, round_number=1, filename=task.filename, format=task.format,
                                    source_lang=task.source_lang, target_lang=task.target_lang, data=b"x")
    # The worker died before recording the id; the reaper requeues, a second attempt runs.
    ProcessingTask.objects.filter(pk=task.pk).update(heartbeat_at=None)
    assert services.requeue_stale(task_id=task.pk)
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.attempt == 2 and task.status == Status.WAITING_EXTERNAL and task.external_id == first
    assert len(service.jobs) == 1
    engine = ExternalEngine()
    assert engine.callback_url() == "http://127.0.0.1:9" + WEBHOOK_PATH


def test_a_submission_the_service_refuses_fails_the_task_and_refunds(user, settings):
    other = "whsec_" + base64.b64encode(b"the service has another!").decode()
    with ExternalService(secret=other, delay_s=60) as svc:
        settings.ZHIYI_EXTERNAL_URL = svc.base_url + "/jobs"
        task = _create(user)
        processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == Status.FAILED and task.error == "The external engine refused the document (HTTP 401)."
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert not svc.jobs


def test_an_unreachable_service_is_tried_again_then_fails_the_task_and_refunds(user, settings):
    settings.ZHIYI_TASK_MAX_ATTEMPTS = 2
    task = _create(user)  # ZHIYI_EXTERNAL_URL points at a closed port
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert (task.status, task.message_code) == (Status.QUEUED, "retrying")  # it may be back soon
    ProcessingTask.objects.filter(pk=task.pk).update(retry_at=timezone.now())
    processor.run_task(task.pk)
    task.refresh_from_db()
    assert task.status == Status.FAILED and task.error == "The external engine could not be reached."
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS


def test_the_external_engine_is_offered_only_with_a_url_and_a_secret(api, settings):
    assert ExternalEngine().availability().available
    settings.ZHIYI_WEBHOOK_SECRET = ""
    refused = ExternalEngine().availability()
    assert "ZHIYI_WEBHOOK_SECRET" in refused.needs and "ZHIYI" not in str(refused.reason)  # staff read the setting
    settings.ZHIYI_WEBHOOK_SECRET = SECRET
    settings.ZHIYI_EXTERNAL_URL = ""
    refused = ExternalEngine().availability()
    assert "ZHIYI_EXTERNAL_URL" in refused.needs and "ZHIYI" not in str(refused.reason)
    response = api.post("/api/tasks/", {"file": upload(), "engine": "external", "source_lang": "zh-Hans",
                                        "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "engine_unavailable"


def test_the_external_engine_declares_configured_pairs(settings):
    assert ("zh-Hans", "zh-Hant") in ExternalEngine().pairs()
    settings.ZHIYI_EXTERNAL_PAIRS = ["en:es", "es:en"]
    assert ExternalEngine().pairs() == [("en", "es"), ("es", "en")]


def test_the_system_check_errors_in_production_without_a_webhook_secret(settings):
    settings.ZHIYI_WEBHOOK_SECRET = ""
    settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS = False
    assert check_webhook() == []  # development: the engine is simply unavailable
    settings.ZHIYI_PRODUCTION = True
    assert [m.id for m in check_webhook()] == ["zhiyi.E602"]
    settings.ZHIYI_ENGINES = ["opencc"]
    assert check_webhook() == []
    settings.ZHIYI_WEBHOOK_SECRET = "whsec_%%%"
    assert [m.id for m in check_webhook()] == ["zhiyi.E601"]
    settings.ZHIYI_WEBHOOK_SECRET = SECRET
    settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS = True
    assert [m.id for m in check_webhook()] == ["zhiyi.W603"]


def test_the_reaper_fails_and_refunds_an_external_task_past_its_deadline_and_a_late_answer_changes_nothing(
        client, user, waiting_task, settings):
    task = waiting_task()
    early = reap_tasks()
    assert early.expired_external == [] and ProcessingTask.objects.get(pk=task.pk).status == Status.WAITING_EXTERNAL
    ProcessingTask.objects.filter(pk=task.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    assert reap_tasks().expired_external == [task.pk]
    task.refresh_from_db()
    assert task.status == Status.FAILED and "deadline" in task.error
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    body, headers = signed(event("task.completed", "ext_1", result_base64=base64.b64encode(b"late").decode()))
    response = client.post(WEBHOOK_PATH, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert ProcessingTask.objects.get(pk=task.pk).version == task.version
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS and find_breaches() == []
