"""Feed the stream bus (announced at commit, never for a rollback). No business rule lives here."""
from __future__ import annotations

from contextlib import nullcontext

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation

from lib.readers import language_of
from streams import bus
from tasks.events import task_status_event
from tasks.models import ProcessingTask


@receiver(post_save, sender=ProcessingTask, dispatch_uid="tasks.publish_task_status")
def publish_task_status(sender, instance: ProcessingTask, **kwargs) -> None:  # type: ignore[no-untyped-def]
    # Why it failed is pushed in the language the owner chose (as notifications are).
    with translation.override(language_of(instance.user_id)) if instance.error_kept else nullcontext():
        event = task_status_event(instance)
    bus.publish_on_commit(event, using=kwargs.get("using"))
