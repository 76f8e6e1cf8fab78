"""API quotas: REST framework throttles per user and per credential, with the limit in headers.

A view opts in with `throttle_scope = "quote"` (and `RateLimitHeaders` first among its bases).
Two budgets apply, each a sliding window from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]:

- `<scope>`: per user, over every credential they use (per client address when nobody is
  signed in, as on the token endpoint);
- `<scope>.credential`: per credential, when the request carries one (`request.auth`: a
  token, or whatever an authentication class returns there; a session carries none). A view may
  name its own credential (the token endpoint: the username asked for).

The credential's identity is read generically from `request.auth` (its `pk`, else its text),
so a new authentication class is throttled per credential without a change here. Counters live
in Django's cache: per process with the default local-memory cache; point CACHES at a shared
cache when several web processes serve the API.
"""
from __future__ import annotations

import hashlib
import math

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

LIMITS_ATTR = "zhiyi_rate_limits"


def credential_identity(auth: object) -> str | None:
    """A stable, non-secret name for the credential a request was authenticated with."""
    if auth is None:
        return None
    raw = getattr(auth, "pk", None)
    raw = f"{type(auth).__module__}.{type(auth).__qualname__}:{raw if raw is not None else auth}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class _Budget(SimpleRateThrottle):
    suffix = ""

    def __init__(self) -> None:  # the rate is known only once the view is (see allow_request)
        pass

    def identity(self, request, view) -> str | None:  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        base = getattr(view, "throttle_scope", None)
        if not base:
            return True
        self.scope = base + self.suffix
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        if self.key is not None:
            _record(request, limit=self.num_requests, remaining=max(0, self.num_requests - len(self.history)),
                    reset=self._reset(), window=self.duration)
        return allowed

    def get_cache_key(self, request, view) -> str | None:  # type: ignore[no-untyped-def]
        ident = self.identity(request, view)
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}

    def _reset(self) -> int:
        """Seconds until the oldest counted request leaves the window."""
        if not self.history:
            return 0
        return max(0, math.ceil(self.history[-1] + self.duration - self.now))


class UserThrottle(_Budget):
    def identity(self, request, view) -> str | None:  # type: ignore[no-untyped-def]
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"address:{self.get_ident(request)}"


class CredentialThrottle(_Budget):
    suffix = ".credential"

    def identity(self, request, view) -> str | None:  # type: ignore[no-untyped-def]
        own = getattr(view, "throttle_credential", None)
        if own is not None:
            value = own(request)
            return None if not value else "named:" + hashlib.sha256(value.encode()).hexdigest()[:32]
        ident = credential_identity(request.auth)
        return None if ident is None else f"credential:{ident}"


def _record(request, **state: int) -> None:  # type: ignore[no-untyped-def]
    django_request = getattr(request, "_request", request)
    limits = getattr(django_request, LIMITS_ATTR, None)
    if limits is None:
        limits = []
        setattr(django_request, LIMITS_ATTR, limits)
    limits.append(state)


class RateLimitHeaders:
    """Says on every answer of a throttled view how much of the tightest budget is left:
    `RateLimit-Limit` (requests per window), `RateLimit-Remaining`, `RateLimit-Reset` (seconds
    until one more is allowed), `RateLimit-Policy` (`<limit>;w=<window seconds>`). A refusal is
    429 `throttled` with `Retry-After`."""

    def finalize_response(self, request, response, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        limits = getattr(getattr(request, "_request", request), LIMITS_ATTR, None)
        if limits:
            tightest = min(limits, key=lambda s: (s["remaining"], -s["reset"]))
            response["RateLimit-Limit"] = str(tightest["limit"])
            response["RateLimit-Remaining"] = str(tightest["remaining"])
            response["RateLimit-Reset"] = str(tightest["reset"])
            response["RateLimit-Policy"] = ", ".join(f"{s['limit']};w={s['window']}" for s in limits)
        return response
