"""Admin pieces shared by the apps."""
from __future__ import annotations

from django.http import HttpRequest


class ReadOnlyMixin:
    """No adding, editing or deleting by hand: rows change only through services."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
