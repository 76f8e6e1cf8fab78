"""Feed the stream bus after commit, and react to other apps' signals. No business rule lives here."""
from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from credits.signals import balance_low
from notifications.events import notification_event
from notifications.messages import CREDITS
from notifications.models import Notification
from notifications.services import notify
from streams import bus


@receiver(post_save, sender=Notification, dispatch_uid="notifications.publish_notification")
def publish_notification(sender, instance: Notification, created: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if not created:
        return
    event = notification_event(instance)
    bus.publish_on_commit(event, using=kwargs.get("using"))


@receiver(balance_low, dispatch_uid="notifications.tell_balance_low")
def tell_balance_low(sender, *, user_id: int, balance: int, threshold: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
    notify(user_id=user_id, kind=CREDITS, url="/credits/", params={"balance": balance, "threshold": threshold})
