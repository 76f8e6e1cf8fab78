"""The words the dashboard's quote explanation shows (static/zhiyi/upload.js fills them with the
quote API's figures), in the page's language: no separate JS catalogue, as ui_texts does.
A count's template comes in its plural forms ({"count", "one", "other"}: lib.messages)."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from lib.messages import Catalogue

register = template.Library()

QUOTE_TEXTS = Catalogue({
    "characters": ngettext_lazy("%(count)s character", "%(count)s characters", "count"),
    "points": ngettext_lazy("%(count)s point", "%(count)s points", "count"),
    "rate": ngettext_lazy("%(count)s point per 1,000 characters", "%(count)s points per 1,000 characters", "count"),
    # Two figures already rendered with their plural forms: "1,200 characters (saves 3 points)".
    "memory": _("%(characters)s (saves %(points)s)"),
}, languages=())


@register.simple_tag
def quote_texts() -> dict:
    return QUOTE_TEXTS.templates_for_scripts()
