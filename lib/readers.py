"""Who reads what is written outside a request (a notification pushed by the worker, a mail):
the language a user chose. The accounts app registers the lookup (`AppConfig.ready()`), so an
app below it in the layers asks here without importing it."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

_lookup: Callable[[int], str | None] | None = None


def register_language_lookup(lookup: Callable[[int], str | None]) -> None:
    global _lookup
    _lookup = lookup


def language_of(user_id: int) -> str:
    """The user's chosen language, else the site's."""
    chosen = _lookup(user_id) if _lookup is not None else None
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
