"""Mail through Django's framework (the locmem backend here): password reset, and the opt-in
"translation finished / failed" mail, sent by a queue job after the commit, once."""
from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from accounts import services
from accounts.jobs import send_task_outcome_mail
from accounts.models import Profile, SentMail
from notifications.models import Notification
from notifications.services import notify

RIGHT = "pw-Secret-123"


def _verified(user, *, opt_in: bool = True, language: str = "en"):  # type: ignore[no-untyped-def]
    user.email = f"{user.username}@example.com"
    user.save(update_fields=["email"])
    services.mark_email_verified(user_id=user.pk, email=user.email)
    Profile.objects.filter(user=user).update(mail_task_outcomes=opt_in, language=language)
    return user


def _outcome(user, kind: str = Notification.Kind.TASK_COMPLETED) -> Notification:
    with transaction.atomic():
        return notify(user_id=user.pk, kind=kind, url="/tasks/7/",
                      params={"filename": "report.docx", "source": "zh-Hans", "target": "zh-Hant", "charged": 12,
                              "error": "The engine refused."})


def _reset_link(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_a_reset_link_sets_the_password_once_and_confirms_the_address(user):
    user.email = "alice@example.com"
    user.save(update_fields=["email"])
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password/reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"] and message.subject == "Set a new password"
    link = _reset_link(message)
    person = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = person.get(link, follow=True)
    assert form.status_code == 200 and "Set a new password" in form.content.decode()
    done = person.post(form.redirect_chain[-1][0], {"new_password1": "Fresh-pass-42", "new_password2": "Fresh-pass-42"})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert Client().post("/accounts/login/", {"username": "alice", "password": "Fresh-pass-42"}).status_code == 302
    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(link, follow=True)
    assert "This link no longer works" in again.content.decode()
    assert Profile.objects.get(user=user).email_is_verified("alice@example.com")


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(user):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_reset_mail_speaks_chinese_and_a_reset_lifts_a_lockout(user, settings):
    user.email = "alice@example.com"
    user.save(update_fields=["email"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/accounts/password/reset/", {"email": "alice@example.com"})
    (message,) = mail.outbox
    assert message.subject == "设置新密码" and "有人请求为你的智译账户设置新密码" in message.body
    person = Client()
    form = person.get(_reset_link(message), follow=True)
    person.post(form.redirect_chain[-1][0], {"new_password1": "Fresh-pass-42", "new_password2": "Fresh-pass-42"})
    assert Client().post("/accounts/login/", {"username": "alice", "password": "Fresh-pass-42"}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_an_opted_in_verified_account_gets_one_mail_per_outcome_in_its_language(user):
    _verified(user, language="zh-hans")
    done = _outcome(user)
    failed = _outcome(user, Notification.Kind.TASK_FAILED)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]] * 2
    assert mail.outbox[0].subject == "已翻译：report.docx"
    assert "http://127.0.0.1:8000/tasks/7/" in mail.outbox[0].body and "/accounts/settings/" in mail.outbox[0].body
    assert mail.outbox[1].subject == "翻译失败：report.docx" and "The engine refused." in mail.outbox[1].body
    assert set(SentMail.objects.values_list("key", flat=True)) == {f"task-outcome:{done.pk}", f"task-outcome:{failed.pk}"}


@pytest.mark.django_db(transaction=True)
def test_the_mail_job_is_idempotent(user):
    _verified(user)
    notification = _outcome(user)
    assert len(mail.outbox) == 1
    assert send_task_outcome_mail(notification.pk) == "already sent or being sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_no_mail_without_the_opt_in_a_verified_address_or_for_other_kinds(user, other_user):
    _verified(user, opt_in=False)
    _outcome(user)
    other_user.email = "bob@example.com"
    other_user.save(update_fields=["email"])
    Profile.objects.create(user=other_user, mail_task_outcomes=True)  # never verified
    _outcome(other_user)
    _verified(user)
    _outcome(user, Notification.Kind.CREDITS)
    assert mail.outbox == [] and not SentMail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_mail_job_refuses_to_run_inside_a_transaction(user):
    _verified(user)
    with transaction.atomic():
        notification = notify(user_id=user.pk, kind=Notification.Kind.TASK_COMPLETED, params={"filename": "a"})
        with pytest.raises(RuntimeError, match="never sent inside a transaction"):
            send_task_outcome_mail(notification.pk)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_the_job_is_enqueued_only_after_the_commit_and_not_acknowledged_on_failure(user, real_queue):
    _verified(user)
    with transaction.atomic():
        notification = notify(user_id=user.pk, kind=Notification.Kind.TASK_COMPLETED, params={"filename": "a"})
        assert not OrmQ.objects.exists()
    (queued,) = OrmQ.objects.all()
    package = SignedPackage.loads(queued.payload)
    assert package["func"] == "accounts.jobs.send_task_outcome_mail" and package["args"] == (notification.pk,)
    assert package["ack_failure"] is False  # a failed send stays queued and is delivered again
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_sent_mail_record_goes_with_its_notification_when_history_is_pruned(user):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.jobs import prune_notifications

    _verified(user)
    notification = _outcome(user)
    assert SentMail.objects.get().notification_id == notification.pk
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=400))
    prune_notifications()
    assert not SentMail.objects.exists()
    assert send_task_outcome_mail(notification.pk) == "gone"
