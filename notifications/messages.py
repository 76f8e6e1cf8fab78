"""What each kind of notification says (Notification.kind + params), rendered when read. A
notification may instead carry its own literal `title` / `body` in its params (system messages,
and rows older than their kind's template)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from lib.messages import Catalogue

TASK_COMPLETED = "task_completed"
TASK_FAILED = "task_failed"
TASK_CANCELLED = "task_cancelled"
CREDITS = "credits"
SYSTEM = "system"

TITLES = Catalogue({
    TASK_COMPLETED: _("Translated: %(filename)s"),
    TASK_FAILED: _("Translation failed: %(filename)s"),
    TASK_CANCELLED: _("Translation stopped: %(filename)s"),
    CREDITS: _("Your credit balance is low"),
})
BODIES = Catalogue({
    TASK_COMPLETED: ngettext_lazy("%(source)s → %(target)s, %(charged)s point charged.",
                                  "%(source)s → %(target)s, %(charged)s points charged.", "charged"),
    TASK_FAILED: _("%(error)s The reserved points were refunded."),
    TASK_CANCELLED: _("Stopped by staff; the reserved points were refunded."),
    CREDITS: ngettext_lazy("%(balance)s point left (below %(threshold)s). Top up to keep translating.",
                           "%(balance)s points left (below %(threshold)s). Top up to keep translating.", "balance"),
})


def title_of(kind: str, params: Mapping[str, Any]) -> str:
    if "title" in params:
        return str(params["title"])
    return TITLES.render(kind, params) if kind in TITLES.templates else ""


def body_of(kind: str, params: Mapping[str, Any]) -> str:
    if "title" in params or "body" in params:
        return str(params.get("body", ""))
    return BODIES.render(kind, params) if kind in BODIES.templates else ""
