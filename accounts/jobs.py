"""Worker jobs of the accounts app: the opt-in "translation finished / failed" mail.

Enqueued after the commit that recorded the task's outcome (signals.py), run by django-q2 in the
worker, outside any transaction. django-q2 delivers at least once and, for this job, does not
acknowledge a failed run (`ack_failure=False`), so an SMTP error is retried after Q_CLUSTER
`retry` seconds, up to `max_attempts`. The job is idempotent: a SentMail row keyed by the
notification is leased before sending and stamped after, so a repeated delivery sends nothing.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.mail import public_url, render_mail
from accounts.models import Profile, SentMail
from notifications.models import Notification

logger = logging.getLogger(__name__)

OUTCOME_KINDS = (Notification.Kind.TASK_COMPLETED, Notification.Kind.TASK_FAILED)
LEASE = timedelta(minutes=5)  # longer than one SMTP conversation (EMAIL_TIMEOUT) can take


def wants_outcome_mail(*, user_id: int) -> bool:
    profile = Profile.objects.filter(user_id=user_id, mail_task_outcomes=True).select_related("user").first()
    return profile is not None and profile.user.is_active and profile.email_is_verified(profile.user.email)


def enqueue_outcome_mail(notification_id: int, user_id: int) -> None:
    """Called on commit. Reads the opt-in (outside the committed transaction) and hands the mail
    to the queue; the job checks again when it runs."""
    from django_q.tasks import async_task

    if wants_outcome_mail(user_id=user_id):
        async_task("accounts.jobs.send_task_outcome_mail", notification_id, ack_failure=False,
                   task_name=f"outcome-mail-{notification_id}")


def _claim(key: str, notification: Notification) -> SentMail | None:
    try:
        with transaction.atomic():
            SentMail.objects.get_or_create(key=key, defaults={"notification": notification})
    except IntegrityError:  # another delivery created it at the same moment
        pass
    now = timezone.now()
    taken = SentMail.objects.filter(key=key, sent_at=None).filter(
        Q(leased_until=None) | Q(leased_until__lt=now)).update(leased_until=now + LEASE)
    return SentMail.objects.get(key=key) if taken else None


def send_task_outcome_mail(notification_id: int) -> str:
    """Send the outcome mail of one notification, once. Returns what happened (for the logs)."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("mail is never sent inside a transaction")
    notification = Notification.objects.filter(pk=notification_id, kind__in=OUTCOME_KINDS).first()
    if notification is None:
        return "gone"
    user = get_user_model().objects.get(pk=notification.user_id)
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None or not profile.mail_task_outcomes or not user.is_active or not profile.email_is_verified(user.email):
        return "not wanted"
    key = f"task-outcome:{notification_id}"
    claim = _claim(key, notification)
    if claim is None:
        return "already sent or being sent"
    message = render_mail(
        "registration/mail/task_outcome",
        {"user": user, "notification": notification, "link": public_url(notification.url or "/"),
         "settings_link": public_url("/accounts/settings/"),
         "failed": notification.kind == Notification.Kind.TASK_FAILED},
        to=user.email, language=profile.language)
    try:
        message.send()
    except Exception:
        SentMail.objects.filter(pk=claim.pk).update(leased_until=None)  # the retry may take it at once
        logger.warning("outcome mail failed", extra={"notification_id": notification_id, "user_id": user.pk})
        raise
    SentMail.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return "sent"
