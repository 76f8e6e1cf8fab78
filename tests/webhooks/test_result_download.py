"""task.completed with a result_url: fetched with limits; a bad URL fails the task and refunds it."""
from __future__ import annotations

import asyncio

import pytest

from credits.selectors import balance_of, find_breaches
from tasks.models import ProcessingTask, Status, WebhookDelivery
from tasks.webhooks.remote_files import RemoteFileError, _is_public, _pin
from tests.webhooks.conftest import WEBHOOK_PATH, event, signed
from tests.webhooks.fileserver import BODY, file_server

pytestmark = pytest.mark.django_db


def deliver_url(client, url: str):
    body, headers = signed(event("task.completed", "ext_1", result_url=url))
    return client.post(WEBHOOK_PATH, data=body, content_type="application/json", headers=headers)


def assert_failed_and_refunded(task, user, settings, words: str) -> None:
    task.refresh_from_db()
    assert task.status == Status.FAILED, task.status
    assert words in task.error and task.error.startswith("The external engine's result could not be used")
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert WebhookDelivery.objects.get().outcome == "result_refused"
    assert not task.result
    assert find_breaches() == []


@pytest.mark.parametrize("path", ["/ok", "/redirect"])
def test_a_result_url_is_downloaded_and_completes_the_task(client, waiting_task, path):
    task = waiting_task()
    with file_server() as base:
        response = deliver_url(client, base + path)
    assert response.status_code == 200 and response.json()["status"] == "applied"
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.result.read() == BODY


@pytest.mark.parametrize("url, words", [
    ("ftp://127.0.0.1/result.txt", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("http:///nohost", "no host"),
])
def test_a_result_url_that_is_not_http_fails_the_task_and_refunds(client, user, waiting_task, settings, url, words):
    task = waiting_task()
    assert deliver_url(client, url).status_code == 200
    assert_failed_and_refunded(task, user, settings, words)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.10", "169.254.169.254",
                                  "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_a_result_url_on_a_non_public_address_is_refused_when_the_setting_forbids_it(
        client, user, waiting_task, settings, host):
    settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS = False
    task = waiting_task()
    with file_server() as base:  # it would answer, but must not be asked
        port = base.rsplit(":", 1)[1]
        assert deliver_url(client, f"http://{host}:{port}/ok").status_code == 200
    assert_failed_and_refunded(task, user, settings, "non-public address")


def test_a_redirect_to_a_non_public_address_is_refused(monkeypatch):
    # The first hop is "public" here (resolution faked); the redirect target is checked again.
    import tasks.webhooks.remote_files as rf

    answers = iter([True])  # the first address checked passes, every later one does not
    with file_server() as base:
        monkeypatch.setattr(rf, "_is_public", lambda address: next(answers, False))
        with pytest.raises(RemoteFileError, match="non-public"):
            asyncio.run(rf.fetch(base + "/redirect", max_bytes=10**6, timeout=2, allow_private=False))


def test_a_result_url_that_times_out_fails_the_task_and_refunds(client, user, waiting_task, settings):
    settings.ZHIYI_HTTP_TIMEOUT_S = 0.3
    task = waiting_task()
    with file_server() as base:
        assert deliver_url(client, base + "/slow").status_code == 200
    assert_failed_and_refunded(task, user, settings, "timed out")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_a_result_larger_than_the_upload_limit_fails_the_task_and_refunds(client, user, waiting_task, settings, path):
    settings.ZHIYI_MAX_UPLOAD_MB = 1
    task = waiting_task()
    with file_server(big_size=1024 * 1024 + 1) as base:
        assert deliver_url(client, base + path).status_code == 200
    assert_failed_and_refunded(task, user, settings, "larger than the 1 MB limit")


def test_a_result_url_answering_an_error_fails_the_task_and_refunds(client, user, waiting_task, settings):
    task = waiting_task()
    with file_server() as base:
        assert deliver_url(client, base + "/missing").status_code == 200
    assert_failed_and_refunded(task, user, settings, "HTTP 404")


def test_an_unreachable_result_url_fails_the_task_and_refunds(client, user, waiting_task, settings):
    task = waiting_task()
    assert deliver_url(client, "http://127.0.0.1:9/result").status_code == 200
    assert_failed_and_refunded(task, user, settings, "could not be downloaded")


def test_invalid_or_empty_base64_results_fail_the_task_and_refund(client, user, waiting_task, settings):
    task = waiting_task()
    body, headers = signed(event("task.completed", "ext_1", result_base64="%%%not base64"))
    assert client.post(WEBHOOK_PATH, data=body, content_type="application/json", headers=headers).status_code == 200
    assert_failed_and_refunded(task, user, settings, "not valid base64")


def test_a_public_address_is_connected_to_directly_with_the_original_host():
    target, headers, extensions = asyncio.run(_pin("https://93.184.215.14:8443/r?x=1", allow_private=False))
    assert target == "https://93.184.215.14:8443/r?x=1" and headers == {"Host": "93.184.215.14:8443"}
    assert extensions == {"sni_hostname": "93.184.215.14"}
    assert _is_public("8.8.8.8") and not _is_public("::ffff:10.0.0.1") and not _is_public("fe80::1%eth0")
    assert not _is_public("100.64.0.1") and not _is_public("224.0.0.1")


def test_no_result_file_is_left_behind_when_the_task_ended_meanwhile(client, waiting_task, settings, monkeypatch):
    from tasks import services

    task = waiting_task()
    real_complete = services.complete_task

    def cancel_first(**kwargs):  # the user cancels while the result downloads
        services.cancel_task(task_id=kwargs["task_id"])
        return real_complete(**kwargs)

    monkeypatch.setattr(services, "complete_task", cancel_first)
    with file_server() as base:
        assert deliver_url(client, base + "/ok").json()["status"] == "ignored"
    assert ProcessingTask.objects.get(pk=task.pk).status == Status.CANCELLED
    results = settings.MEDIA_ROOT / "results"
    assert not results.exists() or not any(p.is_file() for p in results.rglob("*"))
