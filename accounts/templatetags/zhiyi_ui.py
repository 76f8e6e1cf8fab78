"""Template helpers shared by every page: unread notifications, task status labels."""
from __future__ import annotations

import re

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification

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

KIND_LABELS = {
    "grant": _("Grant"),
    "reserve": _("Reserved"),
    "settle_refund": _("Unused part returned"),
    "refund": _("Refund"),
    "adjust": _("Adjustment"),
}


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def ledger_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> dict:
    """{count, last_id} of the signed-in user's unread notifications (the header bell)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"count": 0, "last_id": 0}
    unread = Notification.objects.filter(user=user, read_at=None)
    last = Notification.objects.filter(user=user).order_by("-id").values_list("id", flat=True).first()
    return {"count": unread.count(), "last_id": last or 0}


@register.simple_tag
def status_labels_json() -> dict:
    return {key: str(value) for key, value in STATUS_LABELS.items()}


@register.simple_tag
def ui_texts() -> dict:
    """Strings the page scripts show, in the page's language (no separate JS catalogue)."""
    return {
        "reconnecting": str(_("Connection lost — reconnecting…")),
        "live": str(_("Live")),
        "newNotification": str(_("New notification")),
        "elapsed": str(_("Elapsed")),
        "messages": task_messages_json(),
    }


# The worker writes its progress messages in English; these are the fixed ones, shown translated.
TASK_MESSAGES = {
    "Queued": _("Queued"),
    "Starting": _("Starting"),
    "Done": _("Done"),
    "Failed": _("Failed"),
    "Cancelled": _("Cancelled"),
    "Waiting for the external engine": _("Waiting for the external engine"),
    "Requeued after the worker stopped": _("Requeued after the worker stopped"),
}
_TRANSLATING = re.compile(r"^Translating ([\d,]+) / ([\d,]+) segments$")


@register.filter
def task_message(message: str) -> str:
    if message in TASK_MESSAGES:
        return str(TASK_MESSAGES[message])
    match = _TRANSLATING.match(message or "")
    if match:
        return _("Translating %(done)s / %(total)s segments") % {"done": match[1], "total": match[2]}
    return message


@register.simple_tag
def task_messages_json() -> dict:
    return {
        "fixed": {key: str(value) for key, value in TASK_MESSAGES.items()},
        "translating": str(_("Translating %(done)s / %(total)s segments")),
    }


@register.filter
def elapsed(task) -> str:  # type: ignore[no-untyped-def]
    """h:mm:ss from start to finish (or to now while it runs); empty before it started."""
    if not task.started_at:
        return ""
    end = task.finished_at or timezone.now()
    seconds = max(0, int((end - task.started_at).total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
