"""Every change to API keys and the legacy token: create (the secret is returned once, only its
hash is kept), revoke. Reads are in `keys_of` / `legacy_token_of`."""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import ApiKey
from accounts.scopes import SCOPES

NAME_MAX = 50


class KeyRefused(ValueError):
    """A request for a key that cannot be granted; `code` for the API, str() for people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def keys_of(*, user_id: int) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user_id=user_id).order_by("revoked", "-created")


def legacy_token_of(*, user_id: int) -> Token | None:
    return Token.objects.filter(user_id=user_id).first()


@transaction.atomic
def create_key(*, user_id: int, name: str, scopes: list[str] | None = None,
               expires_at: datetime | None = None) -> tuple[ApiKey, str]:
    """A new key and its secret, which is shown once and never stored."""
    name = (name or "").strip()
    scopes = sorted(set(scopes or []))
    if not name:
        raise KeyRefused(_("Give the key a name, so you know later what uses it."), "name_required")
    if len(name) > NAME_MAX:
        raise KeyRefused(_("A key name has at most %(max)d characters.") % {"max": NAME_MAX}, "name_too_long")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise KeyRefused(_("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}, "unknown_scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise KeyRefused(_("The expiry date must be in the future."), "expiry_in_past")
    # Counted under the user's row lock, so two requests at once cannot both take the last place.
    get_user_model().objects.select_for_update().filter(pk=user_id).first()
    live = ApiKey.objects.get_usable_keys().filter(user_id=user_id).count()
    if live >= settings.ZHIYI_API_KEYS_PER_USER:
        raise KeyRefused(_("You already have %(count)d live keys; revoke one first.") % {"count": live},
                        "too_many_keys")
    return ApiKey.objects.create_key(user_id=user_id, name=name, scopes=scopes, expiry_date=expires_at)


@transaction.atomic
def revoke_key(*, user_id: int, prefix: str) -> bool:
    """Revoke one of the user's keys. False when there is no such live key of theirs."""
    return bool(ApiKey.objects.filter(user_id=user_id, prefix=prefix, revoked=False)
                .update(revoked=True, revoked_at=timezone.now()))


@transaction.atomic
def revoke_legacy_token(*, user_id: int) -> bool:
    deleted, _rows = Token.objects.filter(user_id=user_id).delete()
    return bool(deleted)
