"""Feed the stream bus after commit. No business rule lives here."""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from streams import bus
from tasks.events import task_status_event
from tasks.models import ProcessingTask


@receiver(post_save, sender=ProcessingTask, dispatch_uid="tasks.publish_task_status")
def publish_task_status(sender, instance: ProcessingTask, **kwargs) -> None:  # type: ignore[no-untyped-def]
    event = task_status_event(instance)
    transaction.on_commit(lambda: bus.publish(event))
