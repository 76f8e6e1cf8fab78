"""HTTP calls for engine APIs: timeouts, retries with backoff on 429 and 5xx (honouring
Retry-After), no retry on other 4xx, and error messages that are clear and carry no secret."""
from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import EngineError

logger = logging.getLogger("zhiyi.engines")
MAX_BACKOFF_S = 30.0

# Languages offered by the general-purpose HTTP engines (every pair between two of them);
# ZHIYI_HTTP_LANGUAGES overrides the list.
DEFAULT_LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "nl", "pl", "ru", "uk", "ja", "ko", "zh-Hans", "zh-Hant", "ar"]


def all_pairs(languages: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a in languages for b in languages if a != b]


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait: Retry-After as delta-seconds or as an HTTP date (RFC 9110), capped;
    without a usable header, exponential backoff."""
    header = response.headers.get("Retry-After", "").strip()
    if header.isdigit():
        return min(float(header), MAX_BACKOFF_S)
    if header:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_BACKOFF_S)
    return min(0.5 * 2 ** attempt, MAX_BACKOFF_S)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def post_json(url: str, *, payload: dict, label: str, headers: dict | None = None,
              secrets: tuple[str, ...] = ()) -> Any:
    """POST JSON, return the decoded JSON answer, or raise EngineError saying what went wrong."""
    attempts = settings.ZHIYI_HTTP_RETRIES + 1
    problem: Any = ""
    reason, status = "", 0
    for attempt in range(attempts):
        delay = min(0.5 * 2 ** attempt, MAX_BACKOFF_S)
        try:
            response = httpx.post(url, json=payload, headers=headers or {}, timeout=settings.ZHIYI_HTTP_TIMEOUT_S)
        except httpx.TimeoutException:
            problem = _("%(engine)s did not answer in time after %(attempts)s attempts.")
        except httpx.TransportError as exc:
            problem = _("%(engine)s could not be reached (%(reason)s) after %(attempts)s attempts.")
            reason = exc.__class__.__name__
        else:
            if response.status_code == 429 or response.status_code >= 500:
                problem = _("%(engine)s answered HTTP %(status)s after %(attempts)s attempts.")
                status = response.status_code
                delay = _retry_after(response, attempt)
            elif response.status_code >= 400:
                detail = _scrub(response.text[:200].strip(), secrets)
                raise EngineError(_("%(engine)s refused the request (HTTP %(status)s): %(detail)s"),
                                  params={"engine": label, "status": response.status_code, "detail": detail})
            else:
                try:
                    return response.json()
                except ValueError:
                    raise EngineError(_("%(engine)s sent an answer that is not JSON."),
                                      params={"engine": label}) from None
        logger.warning("%s: attempt %d of %d failed (%s)", label, attempt + 1, attempts, reason or status or "timeout")
        if attempt + 1 < attempts:
            time.sleep(delay)
    raise EngineError(problem, retryable=True,
                      params={"engine": label, "reason": reason, "status": status, "attempts": attempts})
