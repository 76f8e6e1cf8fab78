"""Who is asking for a stream, whether they may open one more, and where they left off.

Authentication is the API's own (REST framework's DEFAULT_AUTHENTICATION_CLASSES: the session
cookie, `Authorization: Token …`, and whatever the API accepts later), so a stream accepts
exactly the credentials the API does. Runs on the stream database pool.

A browser's EventSource on another origin can send no header, so a stream also takes a
*stream token* as `?token=`: short-lived (ZHIYI_STREAM_TOKEN_TTL_S), signed with the site's
secret, good only for opening streams (optionally one path), never an API credential. The API
token itself is never accepted in a URL (URLs end up in logs and browser history).
"""
from __future__ import annotations

import random
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user, get_user_model
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.utils.functional import SimpleLazyObject
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from streams.registry import registry
from streams.routes import Refusal

STREAM_TOKEN_SALT = "zhiyi.streams.token"


def issue_stream_token(*, user_id: int, path: str = "") -> str:
    """A token that opens the user's streams (only `path`, when given) until it expires."""
    return signing.dumps({"u": user_id, "p": path}, salt=STREAM_TOKEN_SALT, compress=False)


def user_from_stream_token(token: str, *, path: str):  # type: ignore[no-untyped-def]
    """The active user a valid, unexpired stream token was issued to for this path, or None."""
    try:
        claims = signing.loads(token, salt=STREAM_TOKEN_SALT, max_age=settings.ZHIYI_STREAM_TOKEN_TTL_S)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(claims, dict) or (claims.get("p") and claims["p"] != path):
        return None
    user = get_user_model().objects.filter(pk=claims.get("u"), is_active=True).first()
    return user


def authenticate(request: ASGIRequest):  # type: ignore[no-untyped-def]
    """The active user behind the request, or None."""
    token = request.GET.get("token")
    if token:  # a stream token decides alone: a bad one is refused even beside a good cookie
        return user_from_stream_token(token, path=request.path)
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    request.user = SimpleLazyObject(lambda: get_user(request))  # what session authentication reads
    drf_request = Request(request, authenticators=[auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES])
    try:
        user = drf_request.user
    except APIException:  # a bad or revoked credential is simply not a user
        return None
    return user if user is not None and user.is_authenticated and user.is_active else None


def unauthorised() -> Refusal:
    return Refusal(401, "Authentication credentials were not provided.", "not_authenticated")


def refuse_if_over_limits(user_id: int) -> Refusal | None:
    if registry.draining or registry.connection_count() >= settings.ZHIYI_SSE_MAX_PER_PROCESS:
        return Refusal(503, "This server holds too many streams; retry shortly.", "too_many_streams",
                       [(b"retry-after", str(random.randint(2, 10)).encode())])
    if registry.count_for_user(user_id) >= settings.ZHIYI_SSE_MAX_PER_USER:
        return Refusal(429, "Too many open streams for this account; close some tabs.", "too_many_streams")
    return None


def last_event_id(request: ASGIRequest) -> tuple[int | None, bool]:
    """(the client's cursor, whether one was sent but could not be read)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("lastEventId") or ""
    if not raw:
        return None, False
    try:
        value = int(raw.strip())
    except ValueError:
        return None, True
    return (value, False) if value >= 0 else (None, True)
