"""Django admin: pages for staff only, and every action goes through the services."""
from __future__ import annotations

import pytest
from django.urls import reverse

from credits.models import LedgerEntry, Reservation
from credits.selectors import balance_of, find_breaches
from credits.services import get_or_create_account
from notifications.models import Notification
from tasks.models import ProcessingTask, TaskEvent
from tasks.services import create_task
from tests.helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _task(user, **kwargs) -> ProcessingTask:
    return create_task(user_id=user.pk, upload=upload(), engine_name="opencc", source_lang="zh-Hans",
                       target_lang="zh-Hant", **kwargs)


ADMIN_PAGES = [
    "admin:index", "admin-operations",
    "admin:tasks_processingtask_changelist", "admin:tasks_webhookdelivery_changelist",
    "admin:credits_creditaccount_changelist", "admin:credits_ledgerentry_changelist",
    "admin:credits_reservation_changelist", "admin:credits_creditgrant_changelist",
    "admin:notifications_notification_changelist",
    "admin:django_q_schedule_changelist", "admin:django_q_ormq_changelist",
    "admin:django_q_success_changelist", "admin:django_q_failure_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_render_for_staff(staff_client, user, name):
    _task(user)  # so lists and the operations page have something to show
    response = staff_client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_are_refused_to_non_staff(client, user, name):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_task_detail_and_account_detail_render_read_only(staff_client, user):
    task = _task(user)
    page = staff_client.get(reverse("admin:tasks_processingtask_change", args=[task.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Created" in body  # the event history inline
    assert 'name="status"' not in body and 'name="_save"' not in body  # money and status are not editable
    account = user.credit_account
    page = staff_client.get(reverse("admin:credits_creditaccount_change", args=[account.pk]))
    assert page.status_code == 200 and "Grant or adjust points" in page.content.decode()
    assert 'name="balance"' not in page.content.decode()


def test_operations_page_shows_statuses_queue_and_credits_in_flight(staff_client, user):
    task = _task(user)
    body = staff_client.get(reverse("admin-operations")).content.decode()
    assert "Tasks per status" in body and "queued" in body
    assert f'<td id="ops-in-flight">{task.cost}</td>' in body


def test_a_staff_grant_shows_in_the_ledger_with_the_staff_user_and_reason(staff_client, staff, user):
    get_or_create_account(user_id=user.pk)
    balance = balance_of(user_id=user.pk)
    url = reverse("admin:credits_creditaccount_points", args=[user.credit_account.pk])
    form = staff_client.get(url)
    token = form.context["form"].initial["token"]
    data = {"operation": "grant", "amount": "250", "reason": "Conference voucher", "token": token}
    response = staff_client.post(url, data)
    assert response.status_code == 302
    staff_client.post(url, data)  # a double submit carries the same token: no second grant
    entry = LedgerEntry.objects.get(account__user=user, reason="Conference voucher")
    assert (entry.kind, entry.amount, entry.actor_id) == ("grant", 250, staff.pk)
    assert balance_of(user_id=user.pk) == balance + 250
    assert find_breaches() == []


def test_the_points_form_requires_a_reason_and_refuses_going_below_zero(staff_client, user):
    get_or_create_account(user_id=user.pk)
    url = reverse("admin:credits_creditaccount_points", args=[user.credit_account.pk])
    response = staff_client.post(url, {"operation": "adjust", "amount": "-5", "reason": " ", "token": "t1"})
    assert response.status_code == 200 and "A reason is required" in response.content.decode()
    balance = balance_of(user_id=user.pk)
    response = staff_client.post(url, {"operation": "adjust", "amount": str(-balance - 1), "reason": "oops",
                                       "token": "t2"})
    assert response.status_code == 200 and "balance is" in response.content.decode()
    assert balance_of(user_id=user.pk) == balance


def _act(staff_client, action: str, *tasks: ProcessingTask, **extra: str) -> list[str]:
    response = staff_client.post(reverse("admin:tasks_processingtask_changelist"),
                                 {"action": action, "_selected_action": [t.pk for t in tasks], **extra}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_staff_cancel_refunds_and_a_staff_retry_reserves_again(staff_client, user):
    task = _task(user)
    before = balance_of(user_id=user.pk)
    _act(staff_client, "cancel_tasks", task)
    task.refresh_from_db()
    assert task.status == "cancelled" and balance_of(user_id=user.pk) == before + task.cost
    assert TaskEvent.objects.filter(task=task, status="cancelled", actor="staff:root").exists()
    [told] = Notification.objects.filter(user=user, kind="task_cancelled")  # the owner learns of it
    assert task.filename in told.title and "root" not in told.title + told.body

    messages = _act(staff_client, "retry_tasks", task)
    task.refresh_from_db()
    assert Reservation.objects.filter(task_ref=task.pk, state="reserved").get().number == 2
    assert LedgerEntry.objects.filter(task=task, kind="reserve").count() == 2
    assert balance_of(user_id=user.pk) == before
    assert task.status == "queued" and messages == [f"Retried: #{task.pk}"]
    assert find_breaches() == []


def test_bulk_actions_report_each_tasks_outcome(staff_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = _task(user)  # completed at once by the in-process queue
    done.refresh_from_db()
    assert done.status == "completed"
    other = _task(user)  # stays queued (its enqueue waits for a commit that never comes)
    messages = _act(staff_client, "fail_and_refund_tasks", done, other)
    assert messages == [f"Task #{done.pk}: not failed and refunded: it has already ended",
                        f"Failed and refunded: #{other.pk}"]

    messages = _act(staff_client, "cancel_tasks", done)
    assert messages == [f"Task #{done.pk}: not cancelled: This translation has already ended; it cannot be cancelled."]


def test_fail_and_refund_gives_the_points_back(staff_client, user, monkeypatch):
    monkeypatch.setattr("tasks.services.enqueue", lambda task_id: None)  # keep it queued
    task = _task(user)
    before = balance_of(user_id=user.pk)
    messages = _act(staff_client, "fail_and_refund_tasks", task)
    task.refresh_from_db()
    assert task.status == "failed" and "Stopped by staff" in task.error
    assert balance_of(user_id=user.pk) == before + task.cost
    assert messages == [f"Failed and refunded: #{task.pk}"]


def test_delete_with_files_removes_the_files_and_the_row(staff_client, user, monkeypatch):
    from django.core.files.storage import default_storage

    monkeypatch.setattr("tasks.services.enqueue", lambda task_id: None)
    running, ended = _task(user), _task(user)
    _act(staff_client, "cancel_tasks", ended)
    name = ProcessingTask.objects.get(pk=ended.pk).original.name
    assert default_storage.exists(name)
    # First a confirmation page, which deletes nothing.
    page = staff_client.post(reverse("admin:tasks_processingtask_changelist"),
                             {"action": "delete_tasks_with_files", "_selected_action": [running.pk, ended.pk]})
    assert page.status_code == 200 and b'name="confirmed" value="yes"' in page.content
    assert ProcessingTask.objects.filter(pk=ended.pk).exists() and default_storage.exists(name)
    messages = _act(staff_client, "delete_tasks_with_files", running, ended, confirmed="yes")
    assert not ProcessingTask.objects.filter(pk=ended.pk).exists() and not default_storage.exists(name)
    assert ProcessingTask.objects.filter(pk=running.pk).exists()
    assert f"Deleted: #{ended.pk}" in messages
    assert any(m.startswith(f"Task #{running.pk}: not deleted:") for m in messages)


def test_a_staff_grant_can_carry_an_expiry(staff_client, staff, user, settings):
    from credits.selectors import expiring_grants_of

    get_or_create_account(user_id=user.pk)
    url = reverse("admin:credits_creditaccount_points", args=[user.credit_account.pk])
    response = staff_client.post(url, {"operation": "grant", "amount": "80", "reason": "Promo until May",
                                       "expires_at": "2031-05-01 00:00", "token": "tok-expiry"})
    assert response.status_code == 302
    pot = expiring_grants_of(user_id=user.pk).get()
    assert (pot.remaining, pot.expires_at.year, pot.expires_at.month) == (80, 2031, 5)
    assert pot.entries.get().actor_id == staff.pk
    response = staff_client.post(url, {"operation": "adjust", "amount": "5", "reason": "x",
                                       "expires_at": "2031-05-01 00:00", "token": "tok-2"})
    assert response.status_code == 200 and "Only a grant can expire" in response.content.decode()


def test_the_account_page_shows_the_latest_fifty_entries(staff_client, user, settings):
    from credits import services

    settings.ZHIYI_LOW_BALANCE_THRESHOLD = 0
    for n in range(55):
        services.grant(user_id=user.pk, amount=1, reason=f"tick {n}")
    page = staff_client.get(reverse("admin:credits_creditaccount_change", args=[user.credit_account.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "tick 54" in body and "tick 4<" not in body
    assert f"account__id__exact={user.credit_account.pk}" in body
    listing = staff_client.get(reverse("admin:credits_ledgerentry_changelist"),
                               {"account__id__exact": user.credit_account.pk})
    assert listing.status_code == 200 and "tick 0" in listing.content.decode()
