"""`Authorization: Api-Key zy_…` (or `Bearer zy_…`): a named key of a user, looked up on every
request (no cache, so revoking or expiring a key works at once on every process)."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import KEY_LABEL, ApiKey

LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per key


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        keyword, _sep, key = get_authorization_header(request).decode("latin-1").partition(" ")
        key = key.strip()
        if keyword.lower() == "bearer" and key.startswith(KEY_LABEL):
            pass
        elif keyword.lower() != self.keyword.lower():
            return None
        try:
            api_key = ApiKey.objects.get_from_key(key)
        except ApiKey.DoesNotExist:
            raise AuthenticationFailed(_("This API key is not valid: unknown, expired or revoked."),
                                       code="invalid_api_key")
        if not api_key.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."), code="inactive_user")
        _record_use(api_key)
        return api_key.user, api_key

    def authenticate_header(self, request) -> str:  # type: ignore[no-untyped-def]
        return self.keyword


def _record_use(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_EVERY:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
