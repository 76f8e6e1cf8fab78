"""Template helpers of the task pages: status labels, what a task says, elapsed time, and the
words the live-update script shows."""
from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.languages import language_name
from tasks.engines import label_of
from tasks.messages import TASK_MESSAGES

register = template.Library()

# Status names as people read them, translated (the model's choices are not marked for i18n).
STATUS_LABELS = {
    "queued": _("Queued"),
    "processing": _("Processing"),
    "waiting_external": _("Waiting for external engine"),
    "completed": _("Completed"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
}


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def language(code: str) -> str:
    """A language code as its name in the reader's language ("zh-Hans" → "简体中文")."""
    return language_name(code)


# Message codes that only repeat the status beside them ("Completed" / "Done"): not shown twice.
SAME_AS_STATUS = ("queued", "done", "failed", "cancelled")


@register.filter
def grouped(value: object) -> str:
    """A number as both languages write it: 1,234 (the site's ids and URLs stay ungrouped)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


@register.filter
def extra_message(task) -> str:  # type: ignore[no-untyped-def]
    """What the task says beyond its status, or nothing."""
    return "" if task.message_code in SAME_AS_STATUS else task.message


@register.filter
def engine_label(name: str) -> str:
    return label_of(name)


@register.simple_tag
def status_labels_json() -> dict:
    return {key: str(value) for key, value in STATUS_LABELS.items()}


@register.simple_tag
def ui_texts() -> dict:
    """Strings the live-update script shows, in the page's language (no separate JS catalogue);
    `messages` renders a status event's messageCode + messageParams."""
    return {
        "reconnecting": str(_("Connection lost — reconnecting…")),
        "live": str(_("Live")),
        "elapsed": str(_("Elapsed")),
        "taskAdded": str(_("A new translation was added to the list.")),
        "messages": TASK_MESSAGES.templates_for_scripts(),
        "sameAsStatus": list(SAME_AS_STATUS),
    }


@register.filter
def elapsed(task) -> str:  # type: ignore[no-untyped-def]
    """h:mm:ss from start to finish (or to now while it runs); empty before it started."""
    if not task.started_at:
        return ""
    end = task.finished_at or timezone.now()
    seconds = max(0, int((end - task.started_at).total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
