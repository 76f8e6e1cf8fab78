"""POST /api/tasks/webhook/ in-process: each outcome, each bad input, repeats and ordering."""
from __future__ import annotations

import base64
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from credits.models import LedgerEntry
from credits.selectors import balance_of, find_breaches
from notifications.models import Notification
from tasks import services
from tasks.models import ProcessingTask, Status, WebhookDelivery
from tasks.pricing import price
from tests.webhooks.conftest import WEBHOOK_PATH, event, signed

pytestmark = pytest.mark.django_db
RESULT = "漢字簡體轉換測試。這是第二行。".encode()


def post(client, body: bytes, headers: dict[str, str]):
    return client.post(WEBHOOK_PATH, data=body, content_type="application/json", headers=headers)


def deliver(client, payload: dict | bytes, **kw):
    return post(client, *signed(payload, **kw))


def completed(external_id: str = "ext_1", **data) -> dict:
    return event("task.completed", external_id, result_base64=base64.b64encode(RESULT).decode(), **data)


class Money:
    """The user's balance and ledger size, to show that something did not move money."""

    def __init__(self, user) -> None:
        self.user_id = user.pk
        self.before = self.now()

    def now(self) -> tuple[int, int]:
        return balance_of(user_id=self.user_id), LedgerEntry.objects.count()

    def unchanged(self) -> bool:
        return self.now() == self.before


def test_a_completed_event_stores_the_result_settles_and_notifies(client, user, waiting_task, settings):
    task = waiting_task()
    response = deliver(client, completed(characters=10))
    assert response.status_code == 200 and response.json()["status"] == "applied"
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.progress == 100
    assert task.result.read() == RESULT
    assert task.charged == price(rate_per_1000=settings.ZHIYI_RATES["external"], characters=10)
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - task.charged
    assert Notification.objects.filter(user=user, kind=Notification.Kind.TASK_COMPLETED).count() == 1
    row = WebhookDelivery.objects.get()
    assert (row.type, row.external_id, row.task_id, row.outcome) == ("task.completed", "ext_1", task.pk, "applied")
    assert task.events.last().actor == "webhook"
    assert find_breaches() == []


def test_the_engine_cannot_charge_more_characters_than_were_quoted(client, waiting_task):
    task = waiting_task()
    deliver(client, completed(characters=10**6))
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.charged == task.cost


def test_a_repeated_webhook_id_is_acknowledged_later_and_applied_once(client, user, waiting_task):
    task = waiting_task()
    payload = completed()
    assert deliver(client, payload, webhook_id="msg_same").json()["status"] == "applied"
    task.refresh_from_db()
    money = Money(user)
    # The same delivery again, much later, with a fresh timestamp and signature.
    WebhookDelivery.objects.update(received_at=timezone.now() - timedelta(days=3))
    again = deliver(client, payload, webhook_id="msg_same", timestamp=int(time.time()))
    assert again.status_code == 200 and again.json() == {"status": "duplicate", "outcome": "applied"}
    assert ProcessingTask.objects.get(pk=task.pk).version == task.version
    assert money.unchanged() and WebhookDelivery.objects.count() == 1


def test_a_failed_event_fails_the_task_and_refunds_it(client, user, waiting_task, settings):
    task = waiting_task()
    response = deliver(client, event("task.failed", "ext_1", error="model overloaded"))
    assert response.status_code == 200 and response.json()["status"] == "applied"
    task.refresh_from_db()
    assert task.status == Status.FAILED and "model overloaded" in task.error
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
    assert Notification.objects.filter(user=user, kind=Notification.Kind.TASK_FAILED).count() == 1


def test_progress_is_recorded_and_never_moves_backwards(client, waiting_task):
    task = waiting_task()
    assert deliver(client, event("task.progress", "ext_1", progress=60, message="Halfway")).status_code == 200
    task.refresh_from_db()
    assert (task.status, task.progress, task.message) == (Status.WAITING_EXTERNAL, 60, "Halfway")
    deliver(client, event("task.progress", "ext_1", progress=30))  # arrived late
    task.refresh_from_db()
    assert task.progress == 60


def test_progress_after_completed_changes_nothing(client, user, waiting_task):
    task = waiting_task()
    deliver(client, completed())
    task.refresh_from_db()
    money = Money(user)
    response = deliver(client, event("task.progress", "ext_1", progress=50, message="late"))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    fresh = ProcessingTask.objects.get(pk=task.pk)
    assert (fresh.status, fresh.progress, fresh.version) == (Status.COMPLETED, 100, task.version)
    assert money.unchanged()
    assert WebhookDelivery.objects.filter(outcome="ignored", task=task).count() == 1


@pytest.mark.parametrize("end", ["completed", "failed", "cancelled"])
@pytest.mark.parametrize("kind", ["task.completed", "task.failed", "task.progress"])
def test_any_event_for_a_task_that_already_ended_is_200_and_changes_nothing(client, user, waiting_task, end, kind):
    task = waiting_task()
    if end == "completed":
        deliver(client, completed())
    elif end == "failed":
        services.fail_task(task_id=task.pk, error="gave up")
    else:
        services.cancel_task(task_id=task.pk)
    task.refresh_from_db()
    money = Money(user)
    payload = completed() if kind == "task.completed" else event(kind, "ext_1", progress=5, error="x")
    response = deliver(client, payload)
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    fresh = ProcessingTask.objects.get(pk=task.pk)
    assert (fresh.status, fresh.version, fresh.result.name) == (end, task.version, task.result.name)
    assert money.unchanged()


def test_an_unknown_external_id_is_404_and_applied_when_the_sender_retries(client, user, waiting_task):
    # The callback can overtake the worker's own commit of the external id: a 404 is not final.
    response = deliver(client, completed("ext_later"), webhook_id="msg_early")
    assert response.status_code == 404 and response.json()["code"] == "unknown_external_id"
    row = WebhookDelivery.objects.get()
    assert (row.outcome, row.external_id, row.task_id) == ("unknown_task", "ext_later", None)
    task = waiting_task("ext_later")
    assert deliver(client, completed("ext_later"), webhook_id="msg_early").status_code == 200
    task.refresh_from_db()
    assert task.status == Status.COMPLETED
    assert WebhookDelivery.objects.get().outcome == "applied"


@pytest.mark.parametrize("body, code", [
    (b"{not json", "malformed_body"),
    (b"[1, 2]", "malformed_body"),
    (b'{"type": "task.completed"}', "malformed_body"),
    (b'{"type": "task.completed", "data": {}}', "malformed_body"),
    (b'{"type": "task.completed", "data": {"external_task_id": "ext_1"}}', "malformed_body"),
    (b'{"type": "task.progress", "data": {"external_task_id": "ext_1", "progress": NaN}}', "malformed_body"),
    (b'{"type": "task.progress", "data": {"external_task_id": "ext_1", "progress": 101}}', "malformed_body"),
    (b'{"type": "task.progress", "data": {"external_task_id": "ext_1", "progress": true}}', "malformed_body"),
    (b'{"type": "task.deleted", "data": {"external_task_id": "ext_1"}}', "unknown_type"),
    (b'{"data": {"external_task_id": "ext_1"}}', "unknown_type"),
])
def test_a_signed_but_malformed_body_is_400_with_a_delivery_row(client, user, waiting_task, body, code):
    task = waiting_task()
    money = Money(user)
    response = deliver(client, body)
    assert response.status_code == 400 and response.json()["code"] == code
    assert WebhookDelivery.objects.get().outcome == "invalid"
    assert ProcessingTask.objects.get(pk=task.pk).version == task.version and money.unchanged()


def _assert_refused(client, user, task, body: bytes, headers: dict[str, str], status: int) -> None:
    money = Money(user)
    response = post(client, body, headers)
    assert response.status_code == status, response.content
    assert set(response.json()) == {"detail", "code"}
    assert not WebhookDelivery.objects.exists()  # nothing is recorded from an unverified body
    assert ProcessingTask.objects.get(pk=task.pk).version == task.version and money.unchanged()


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_headers_are_400(client, user, waiting_task, missing):
    task = waiting_task()
    body, headers = signed(completed())
    del headers[missing]
    _assert_refused(client, user, task, body, headers, 400)


@pytest.mark.parametrize("signature", ["v1", "v1,a,b", "v1,@@@", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                                       "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="])
def test_a_bad_signature_is_401(client, user, waiting_task, signature):
    task = waiting_task()
    body, headers = signed(completed())
    _assert_refused(client, user, task, body, {**headers, "webhook-signature": signature}, 401)


def test_a_signature_made_with_another_secret_is_401(client, user, waiting_task):
    task = waiting_task()
    body, headers = signed(completed(), secret="whsec_" + base64.b64encode(b"not our secret at all!!!").decode())
    _assert_refused(client, user, task, body, headers, 401)


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_outside_the_tolerance_is_401(client, user, waiting_task, skew):
    task = waiting_task()
    body, headers = signed(completed(), timestamp=int(time.time()) + skew)
    _assert_refused(client, user, task, body, headers, 401)


def test_a_timestamp_like_1e9_is_401(client, user, waiting_task):
    task = waiting_task()
    body, headers = signed(completed())
    _assert_refused(client, user, task, body, {**headers, "webhook-timestamp": f"{int(time.time())}.0"}, 401)


def test_a_body_changed_after_signing_is_401(client, user, waiting_task):
    task = waiting_task()
    body, headers = signed(event("task.failed", "ext_1", error="a"))
    _assert_refused(client, user, task, body.replace(b'"a"', b'"b"'), headers, 401)


def test_a_webhook_id_containing_a_dot_is_400(client, user, waiting_task):
    task = waiting_task()
    body, headers = signed(completed(), webhook_id="msg.1")
    _assert_refused(client, user, task, body, headers, 400)


def test_an_oversized_body_is_413_before_any_signature_check(client, user, waiting_task, settings):
    task = waiting_task()
    settings.ZHIYI_WEBHOOK_MAX_BODY_BYTES = 2048
    big = completed(message="x" * 3000)
    body, headers = signed(big)  # validly signed, still refused for its size
    _assert_refused(client, user, task, body, headers, 413)
    _assert_refused(client, user, task, b"x" * 5000, {}, 413)


def test_without_a_configured_secret_every_delivery_is_503_never_410(client, user, waiting_task, settings):
    task = waiting_task()
    body, headers = signed(completed())
    settings.ZHIYI_WEBHOOK_SECRET = ""
    _assert_refused(client, user, task, body, headers, 503)


def test_only_post_is_allowed_and_never_410(client):
    assert client.get(WEBHOOK_PATH).status_code == 405


def test_an_unexpected_error_is_500_and_the_retry_is_applied(client, user, waiting_task, monkeypatch):
    task = waiting_task()
    real = services.complete_task
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "complete_task", flaky)
    payload = completed()
    first = deliver(client, payload, webhook_id="msg_flaky")
    assert first.status_code == 500 and WebhookDelivery.objects.get().outcome == "error"
    assert ProcessingTask.objects.get(pk=task.pk).status == Status.WAITING_EXTERNAL
    second = deliver(client, payload, webhook_id="msg_flaky")
    assert second.status_code == 200 and second.json()["status"] == "applied"
    task.refresh_from_db()
    assert task.status == Status.COMPLETED and task.result.read() == RESULT
    assert find_breaches() == []


def test_a_delivery_in_flight_answers_409_and_an_abandoned_one_is_taken_over(client, user, waiting_task):
    task = waiting_task()
    WebhookDelivery.objects.create(webhook_id="msg_inflight", outcome="processing")
    payload = completed()
    busy = deliver(client, payload, webhook_id="msg_inflight")
    assert busy.status_code == 409 and busy["Retry-After"]
    assert ProcessingTask.objects.get(pk=task.pk).status == Status.WAITING_EXTERNAL
    # The process that took it died: after the lease a retry applies it.
    WebhookDelivery.objects.update(received_at=timezone.now() - timedelta(hours=1))
    assert deliver(client, payload, webhook_id="msg_inflight").status_code == 200
    assert ProcessingTask.objects.get(pk=task.pk).status == Status.COMPLETED


def test_an_event_from_an_earlier_round_does_not_finish_the_retried_task(client, user, waiting_task):
    task = waiting_task()
    services.cancel_task(task_id=task.pk)
    services.retry_task(task_id=task.pk)  # clears the external id; a new round starts
    assert deliver(client, completed()).status_code == 404
    assert ProcessingTask.objects.get(pk=task.pk).status == Status.QUEUED


def test_a_body_over_the_limit_without_a_content_length_is_413_before_any_hmac(settings, monkeypatch):
    # A chunked request has no Content-Length: the view reads at most limit + 1 bytes and the
    # service refuses on the bytes themselves, before verification is even attempted.
    from tasks.webhooks import receive, signing

    settings.ZHIYI_WEBHOOK_MAX_BODY_BYTES = 2048
    monkeypatch.setattr(signing, "verify", lambda **kw: pytest.fail("verified an oversized body"))
    body, headers = signed(b"x" * 2049)
    answer = receive.receive_webhook(body=body, headers=headers)
    assert answer.status == 413 and answer.body["code"] == "body_too_large"
    assert not WebhookDelivery.objects.exists()
