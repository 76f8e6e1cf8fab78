"""The admin operations page (/admin/operations/): what the platform is doing right now."""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ops import figures

# The admin index links to the operations page (the template extends the stock index).
admin.site.index_template = "admin/zhiyi_index.html"
admin.site.site_header = "ZhiYi administration"
admin.site.site_title = "ZhiYi admin"


def operations_view(request: HttpRequest) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": "Operations",
        "streams": figures.open_streams(),
        "per_status": figures.tasks_per_status(),
        "queue_depth": figures.queue_depth(),
        "failures_last_hour": figures.failures_since(),
        "credits_in_flight": figures.credits_in_flight(),
    }
    return TemplateResponse(request, "admin/operations.html", context)
