"""Notifications say what they say as their kind's template and parameters, rendered when read.
Existing rows keep their words as literal title/body parameters. Notifications also prune
themselves now (notifications.jobs; the combined history schedule is gone, tasks 0004)."""
from __future__ import annotations

from django.db import migrations, models
from django.utils import timezone

SCHEDULE = ("zhiyi: prune old notifications", "notifications.jobs.prune_notifications")


def to_params(apps, schema_editor):  # noqa: ANN001, ANN201
    Notification = apps.get_model("notifications", "Notification")
    for item in Notification.objects.only("id", "title", "body").iterator():
        Notification.objects.filter(pk=item.pk).update(params={"title": item.title, "body": item.body})


def to_text(apps, schema_editor):  # noqa: ANN001, ANN201
    Notification = apps.get_model("notifications", "Notification")
    for item in Notification.objects.only("id", "params").iterator():
        params = item.params or {}
        Notification.objects.filter(pk=item.pk).update(title=str(params.get("title", ""))[:200],
                                                       body=str(params.get("body", "")))


def add_schedule(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_q", "Schedule").objects.update_or_create(name=SCHEDULE[0], defaults=dict(
        func=SCHEDULE[1], schedule_type="D", repeats=-1, next_run=timezone.now()))


def remove_schedule(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [
        migrations.AddField("notification", "params", models.JSONField(blank=True, default=dict)),
        migrations.RunPython(to_params, to_text),
        migrations.RemoveField("notification", "title"),
        migrations.RemoveField("notification", "body"),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
