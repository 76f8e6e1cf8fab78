"""Mail through a real SMTP server on 127.0.0.1 (aiosmtpd): a reset mail from a real daphne whose
link sets the password once; an outcome mail from a real qcluster; a refusal retried, sent once."""
from __future__ import annotations

import re
import smtplib

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.test import APIClient

from accounts import services
from accounts.jobs import send_task_outcome_mail
from accounts.models import Profile, SentMail
from notifications.models import Notification
from notifications.services import notify
from tests.accounts.smtp import body_of, smtp_server
from tests.helpers import SIMPLIFIED, upload
from tests.servers import daphne_server, qcluster_worker

pytestmark = [pytest.mark.django_db(transaction=True)]


def _csrf(page: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _opted_in(user) -> None:  # type: ignore[no-untyped-def]
    user.email = f"{user.username}@example.com"
    user.save(update_fields=["email"])
    services.mark_email_verified(user_id=user.pk, email=user.email)
    Profile.objects.filter(user=user).update(mail_task_outcomes=True, language="en")


@pytest.mark.slow
def test_a_reset_mail_arrives_through_real_smtp_and_its_link_sets_the_password_once(user, tmp_path):
    user.email = "alice@example.com"
    user.save(update_fields=["email"])
    with smtp_server() as inbox, daphne_server(log_path=tmp_path / "daphne.log", EMAIL_URL=inbox.url) as base:
        with httpx.Client(base_url=base, headers={"Accept-Language": "en"}) as browser:
            form = browser.get("/accounts/password/reset/")
            sent = browser.post("/accounts/password/reset/", data={"email": "alice@example.com",
                                                                   "csrfmiddlewaretoken": _csrf(form)})
            assert sent.status_code == 302 and sent.headers["location"] == "/accounts/password/reset/sent/"
            (message,) = inbox.wait_for(1)
            assert message["X-Envelope-To"] == "alice@example.com" and message["Subject"] == "Set a new password"
            link = re.search(rf"{re.escape(base)}(/accounts/password/reset/\S+/)", body_of(message)).group(1)

            opened = browser.get(link, follow_redirects=True)
            assert "Set a new password" in opened.text
            done = browser.post(str(opened.url.path), data={
                "new_password1": "Fresh-pass-42", "new_password2": "Fresh-pass-42",
                "csrfmiddlewaretoken": _csrf(opened)})
            assert done.status_code == 302 and done.headers["location"] == "/accounts/password/reset/done/"
        with httpx.Client(base_url=base, headers={"Accept-Language": "en"}) as second_try:
            assert "This link no longer works" in second_try.get(link, follow_redirects=True).text
        token = httpx.post(base + "/api/auth/token/", json={"username": "alice", "password": "Fresh-pass-42"})
        assert token.status_code == 200 and token.json()["token"]
        assert httpx.post(base + "/api/auth/token/", json={"username": "alice", "password": "pw-Secret-123"}
                          ).status_code == 400


def test_a_refused_delivery_raises_for_the_queue_to_retry_and_goes_out_once_later(user, settings, real_queue):
    _opted_in(user)
    with smtp_server(refuse_first=1) as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
        with transaction.atomic():  # recorded; its job waits in the queue (not run in-process here)
            notification = notify(user_id=user.pk, kind=Notification.Kind.TASK_COMPLETED, params={"filename": "a.txt"})
        with pytest.raises(smtplib.SMTPDataError):
            send_task_outcome_mail(notification.pk)  # the first delivery: 451 from the server
        claim = SentMail.objects.get()
        assert claim.sent_at is None and claim.leased_until is None  # the retry may take it at once
        assert send_task_outcome_mail(notification.pk) == "sent"
        assert send_task_outcome_mail(notification.pk) == "already sent or being sent"
        (message,) = inbox.wait_for(1)
        assert message["Subject"] == "Translated: a.txt" and inbox.refused == 1


@pytest.mark.slow
def test_the_worker_mails_the_outcome_of_a_real_task_through_smtp(tmp_path, real_queue):
    user = get_user_model().objects.create_user("carol", password="x")
    _opted_in(user)
    client = APIClient()
    client.force_authenticate(user)
    created = client.post("/api/tasks/", {"file": upload(SIMPLIFIED, "letter.txt"), "engine": "opencc",
                                          "source_lang": "zh-Hans", "target_lang": "zh-TW"}, format="multipart")
    assert created.status_code == 201
    with smtp_server() as inbox, qcluster_worker(log_path=tmp_path / "qcluster.log", EMAIL_URL=inbox.url):
        (message,) = inbox.wait_for(1, timeout=60)
    assert message["Subject"] == "Translated: letter.txt"
    assert f"/tasks/{created.json()['id']}/" in body_of(message)
    assert SentMail.objects.get().sent_at is not None
