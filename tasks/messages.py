"""What a task says about itself (ProcessingTask.message_code + message_params), rendered when read."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lib.messages import TEXT, Catalogue

QUEUED = "queued"
STARTING = "starting"
TRANSLATING = "translating"
WAITING_EXTERNAL = "waiting_external"
REQUEUED = "requeued"
RETRYING = "retrying"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"

TASK_MESSAGES = Catalogue({
    QUEUED: _("Queued"),
    STARTING: _("Starting"),
    TRANSLATING: _("Translating %(done)s / %(total)s segments"),
    WAITING_EXTERNAL: _("Waiting for the external engine"),
    REQUEUED: _("Requeued after the worker stopped"),
    RETRYING: _("The engine is unavailable; retrying in %(seconds)s s"),
    DONE: _("Done"),
    FAILED: _("Failed"),
    CANCELLED: _("Cancelled"),
})

__all__ = ["CANCELLED", "DONE", "FAILED", "QUEUED", "REQUEUED", "RETRYING", "STARTING", "TASK_MESSAGES", "TEXT",
           "TRANSLATING", "WAITING_EXTERNAL"]
