"""django-q2 schedules for the upkeep jobs (zhiyi/upkeep.py). Created here so every deployment
has them after `migrate`; staff can change their timing in admin (django-q2 → Scheduled tasks)
and a re-run of this migration would not duplicate them (keyed by name).

Q_CLUSTER["catch_up"] is False (settings): after downtime each schedule runs once, not once
per missed slot — none of them moves money twice anyway (services are idempotent)."""
from __future__ import annotations

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # name, func, schedule_type, minutes
    ("zhiyi: reap stale tasks", "zhiyi.upkeep.reap_tasks", "I", 1),
    ("zhiyi: purge files past retention", "zhiyi.upkeep.purge_retention", "H", None),
    ("zhiyi: prune old notifications and deliveries", "zhiyi.upkeep.prune_history", "D", None),
]


def create(apps, schema_editor):  # noqa: ANN001, ANN201
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, schedule_type, minutes in SCHEDULES:
        Schedule.objects.update_or_create(name=name, defaults=dict(
            func=func, schedule_type=schedule_type, minutes=minutes, repeats=-1, next_run=timezone.now()))


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_q", "Schedule").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create, remove)]
