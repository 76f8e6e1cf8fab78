"""Feed the stream bus after commit. No business rule lives here."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.events import notification_payload
from notifications.models import Notification


@receiver(post_save, sender=Notification, dispatch_uid="notifications.publish_notification")
def publish_notification(sender, instance: Notification, created: bool, **kwargs) -> None:
    if not created:
        return
    from zhiyi.streams import bus

    payload = notification_payload(instance)
    transaction.on_commit(lambda: bus.publish({"type": "notification", **payload}))
