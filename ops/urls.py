"""Monitoring endpoints and the staff operations page (before admin/ in the root URLconf)."""
from django.contrib import admin
from django.urls import path

from ops.admin import operations_view
from ops.engines import engines_view
from ops.health import healthz
from ops.metrics import metrics_view

urlpatterns = [
    path("admin/operations/", admin.site.admin_view(operations_view), name="admin-operations"),
    path("admin/operations/engines/", admin.site.admin_view(engines_view), name="admin-engines"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
]
