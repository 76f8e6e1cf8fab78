"""Who is asking, for async stream views: the session user, or `Authorization: Token <key>`."""
from __future__ import annotations

from django.http import HttpRequest


async def stream_user(request: HttpRequest):  # type: ignore[no-untyped-def]
    header = request.headers.get("Authorization", "")
    if header.startswith("Token "):
        from rest_framework.authtoken.models import Token

        token = await Token.objects.select_related("user").filter(key=header[6:].strip()).afirst()
        return token.user if token and token.user.is_active else None
    user = await request.auser()
    return user if user.is_authenticated else None


def last_event_id(request: HttpRequest) -> tuple[int | None, bool]:
    """(the client's cursor, whether one was sent but could not be read)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("lastEventId") or ""
    if not raw:
        return None, False
    try:
        value = int(raw.strip())
    except ValueError:
        return None, True
    return (value, False) if value >= 0 else (None, True)
