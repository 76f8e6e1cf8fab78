"""Words of the job pages."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

JOB_STATUS_LABELS = {
    "queued": _("Queued"),
    "processing": _("Processing"),
    "completed": _("Completed"),
    "partial": _("Partly done"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
    "empty": _("Empty"),
}


@register.filter
def job_status_label(status: str) -> str:
    return str(JOB_STATUS_LABELS.get(status, status))


@register.simple_tag
def job_status_labels_json() -> dict:
    return {key: str(value) for key, value in JOB_STATUS_LABELS.items()}
