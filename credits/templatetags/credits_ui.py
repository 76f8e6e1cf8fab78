"""Template helpers of the credits page."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

KIND_LABELS = {
    "grant": _("Grant"),
    "reserve": _("Reserved"),
    "settle_refund": _("Unused part returned"),
    "refund": _("Refund"),
    "adjust": _("Adjustment"),
    "expire": _("Expired"),
}


@register.filter
def ledger_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
