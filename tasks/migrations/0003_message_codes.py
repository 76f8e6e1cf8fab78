"""Task messages become a code with parameters (tasks/messages.py), rendered when read."""
from __future__ import annotations

import re

from django.db import migrations, models

CODES = {
    "Queued": "queued", "Starting": "starting", "Done": "done", "Failed": "failed", "Cancelled": "cancelled",
    "Waiting for the external engine": "waiting_external", "Requeued after the worker stopped": "requeued",
}
TRANSLATING = re.compile(r"^Translating ([\d,]+) / ([\d,]+) segments$")
ENGLISH = {code: text for text, code in CODES.items()}


def code_of(text: str) -> tuple[str, dict]:
    """The code and parameters of a message the worker used to store as English."""
    match = TRANSLATING.match(text)
    if text in CODES:
        return CODES[text], {}
    if match:
        return "translating", {"done": int(match[1].replace(",", "")), "total": int(match[2].replace(",", ""))}
    return ("text", {"text": text}) if text else ("", {})


def to_codes(apps, schema_editor):  # noqa: ANN001, ANN201
    Task = apps.get_model("tasks", "ProcessingTask")
    for task in Task.objects.only("id", "message").iterator():
        code, params = code_of(task.message or "")
        Task.objects.filter(pk=task.pk).update(message=code, message_params=params)


def to_text(apps, schema_editor):  # noqa: ANN001, ANN201
    Task = apps.get_model("tasks", "ProcessingTask")
    for task in Task.objects.only("id", "message", "message_params").iterator():
        params = task.message_params or {}
        if task.message == "translating":
            text = f"Translating {params.get('done', 0):,} / {params.get('total', 0):,} segments"
        else:
            text = ENGLISH.get(task.message) or params.get("text", "")
        Task.objects.filter(pk=task.pk).update(message=text)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_upkeep_schedules")]
    operations = [
        migrations.AddField("processingtask", "message_params", models.JSONField(blank=True, default=dict)),
        migrations.RunPython(to_codes, to_text),
        migrations.RenameField("processingtask", "message", "message_code"),
        migrations.AlterField("processingtask", "message_code", models.CharField(blank=True, max_length=40)),
    ]
