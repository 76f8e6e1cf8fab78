"""Login rate limiting: a failure counter per (username, client IP) in Django's cache.

Keyed on the pair, so one attacker cannot lock a user out from everywhere, and one address
cannot try many passwords for one account. The window restarts with each failure. With the
default local-memory cache the counter is per web process; point CACHES at a shared cache
(database or Redis) when running several replicas."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES: int = settings.ZHIYI_LOGIN_MAX_FAILURES
WINDOW_S: int = settings.ZHIYI_LOGIN_WINDOW_S


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()
    return f"zhiyi:login-failures:{digest}"


def is_blocked(*, username: str, ip: str) -> bool:
    return int(cache.get(_key(username, ip), 0)) >= MAX_FAILURES


def record_failure(*, username: str, ip: str) -> int:
    key = _key(username, ip)
    count = int(cache.get(key, 0)) + 1
    cache.set(key, count, WINDOW_S)
    return count


def reset(*, username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
