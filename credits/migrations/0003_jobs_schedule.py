"""The expiry schedule calls the credits app's own job (credits/jobs.py)."""
from __future__ import annotations

from django.db import migrations

OLD, NEW = "zhiyi.upkeep.expire_credits", "credits.jobs.expire_credits"


def forward(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_q", "Schedule").objects.filter(func=OLD).update(func=NEW)


def backward(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("django_q", "Schedule").objects.filter(func=NEW).update(func=OLD)


class Migration(migrations.Migration):
    dependencies = [("credits", "0002_grants_with_expiry"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(forward, backward)]
