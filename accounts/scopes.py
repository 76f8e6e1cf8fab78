"""What an API key may do: one permission class on every API view (REST_FRAMEWORK's
DEFAULT_PERMISSION_CLASSES), fed by one declaration per view.

A key without scopes may do everything its user may (except manage keys). A scoped key may read
(GET, HEAD, OPTIONS) everywhere, and write only where the view's `api_key_scope` names one of its
scopes. A view that writes and declares nothing is open to unscoped keys only, so a new endpoint
is closed to read-only keys until someone decides otherwise. Sessions and the legacy tokens are
not keys: they carry all of their user's rights, as before.

    class TaskCreateApi(APIView):
        api_key_scope = "translate"   # what its POST/DELETE needs
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

READ = "read"
TRANSLATE = "translate"
GLOSSARIES = "glossaries"
SCOPES = {
    READ: _("Read only"),
    TRANSLATE: _("Translate: quotes and tasks"),
    GLOSSARIES: _("Manage glossaries and translation memory"),
}
FULL = "full"  # needed by an undeclared write: only an unscoped key has it
NO_API_KEYS = "no_api_keys"  # declared by views no API key may use (managing keys)


def needed_scope(view: object, method: str) -> str:
    declared = getattr(view, "api_key_scope", None)
    if declared == NO_API_KEYS:
        return NO_API_KEYS
    if method in SAFE_METHODS:
        return READ
    return declared or FULL


def key_allows(scopes: list[str], needed: str) -> bool:
    if needed == NO_API_KEYS:
        return False
    if not scopes:
        return True
    return needed == READ or needed in scopes


class ApiKeyScope(BasePermission):
    code = "api_key_scope"

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        from accounts.models import ApiKey

        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        needed = needed_scope(view, request.method)
        if key_allows(key.scopes, needed):
            return True
        if needed == NO_API_KEYS:
            self.message = _("API keys cannot do this; sign in, or use your password-based token.")
        elif needed == FULL:
            self.message = _("Only an API key without scopes may do this.")
        else:
            self.message = _("This API key lacks the “%(scope)s” scope.") % {"scope": SCOPES[needed]}
        return False
