"""Notifications as staff see them: a read-only list (they are written by notify() only)."""
from __future__ import annotations

from django.contrib import admin

from lib.admin import ReadOnlyMixin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    fields = ["user", "kind", "title", "body", "url", "created_at", "read_at"]
    readonly_fields = fields
