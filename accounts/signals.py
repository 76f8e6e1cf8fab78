"""React to other apps: a task's outcome notification may become a mail (after commit)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.jobs import OUTCOME_KINDS, enqueue_outcome_mail
from notifications.models import Notification


@receiver(post_save, sender=Notification, dispatch_uid="accounts.mail_task_outcome")
def mail_task_outcome(sender, instance: Notification, created: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if created and instance.kind in OUTCOME_KINDS:
        # robust: a queue that cannot be reached must not undo or break the outcome itself.
        notification_id, user_id = instance.pk, instance.user_id
        transaction.on_commit(lambda: enqueue_outcome_mail(notification_id, user_id), robust=True)
