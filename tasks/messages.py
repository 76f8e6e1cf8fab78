"""What a task says about itself (ProcessingTask.message_code + message_params), rendered when read."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from lib.messages import TEXT, Catalogue

QUEUED = "queued"
STARTING = "starting"
TRANSLATING = "translating"
WAITING_EXTERNAL = "waiting_external"
REQUEUED = "requeued"
RETRYING = "retrying"
DONE = "done"
DONE_OUTPUT_UTF8 = "done_output_utf8"  # done, but the input's encoding could not hold the translation
FAILED = "failed"
CANCELLED = "cancelled"
STOPPED_BY_STAFF = "stopped_by_staff"

TASK_MESSAGES = Catalogue({
    QUEUED: _("Queued"),
    STARTING: _("Starting"),
    TRANSLATING: ngettext_lazy("Translating %(done)s / %(total)s segment", "Translating %(done)s / %(total)s segments",
                               "total"),
    WAITING_EXTERNAL: _("Waiting for the external engine"),
    REQUEUED: _("Requeued after the worker stopped"),
    RETRYING: _("The engine is unavailable; retrying in %(seconds)s s"),
    DONE: _("Done"),
    DONE_OUTPUT_UTF8: _("Done. The translation has characters that %(encoding)s cannot hold, so it was "
                        "saved as UTF-8."),
    FAILED: _("Failed"),
    CANCELLED: _("Cancelled"),
    STOPPED_BY_STAFF: _("Stopped by staff"),
})

__all__ = ["CANCELLED", "DONE", "DONE_OUTPUT_UTF8", "FAILED", "QUEUED", "REQUEUED", "RETRYING", "STARTING",
           "STOPPED_BY_STAFF", "TASK_MESSAGES", "TEXT", "TRANSLATING", "WAITING_EXTERNAL"]
