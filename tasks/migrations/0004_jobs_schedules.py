"""The upkeep schedules call each app's own jobs (tasks/jobs.py) instead of one upkeep module.
The combined history prune becomes the tasks app's prune of webhook deliveries; notifications
prune themselves (notifications/migrations/0002)."""
from __future__ import annotations

from django.db import migrations
from django.utils import timezone

RENAMED = {"zhiyi.upkeep.reap_tasks": "tasks.jobs.reap_tasks",
           "zhiyi.upkeep.purge_retention": "tasks.jobs.purge_retention"}
OLD_PRUNE = ("zhiyi: prune old notifications and deliveries", "zhiyi.upkeep.prune_history")
NEW_PRUNE = ("zhiyi: prune old webhook deliveries", "tasks.jobs.prune_webhook_deliveries")


def forward(apps, schema_editor):  # noqa: ANN001, ANN201
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in RENAMED.items():
        Schedule.objects.filter(func=old).update(func=new)
    Schedule.objects.filter(func=OLD_PRUNE[1]).delete()
    Schedule.objects.update_or_create(name=NEW_PRUNE[0], defaults=dict(
        func=NEW_PRUNE[1], schedule_type="D", repeats=-1, next_run=timezone.now()))


def backward(apps, schema_editor):  # noqa: ANN001, ANN201
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in RENAMED.items():
        Schedule.objects.filter(func=new).update(func=old)
    Schedule.objects.filter(name=NEW_PRUNE[0]).delete()
    Schedule.objects.update_or_create(name=OLD_PRUNE[0], defaults=dict(
        func=OLD_PRUNE[1], schedule_type="D", repeats=-1, next_run=timezone.now()))


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_message_codes"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(forward, backward)]
