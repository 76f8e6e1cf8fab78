"""Standard Webhooks signatures (https://www.standardwebhooks.com), signed with the
`standardwebhooks` package and verified more strictly than it does.

The package raises on some malformed headers instead of refusing them (a 500 for `v1`,
`v1,a,b` or bad base64), parses the timestamp with `float()` (so `1e9` passes) and keeps no
delivery ids. Here: the timestamp is 1–10 digits, a signature entry that is not
`v1,<base64 of 32 bytes>` is simply no match, every comparison uses `hmac.compare_digest`,
and the caller checks the body size before any HMAC is computed. No Django imports: the
reference external service (tools/external_service.py) signs with this module too.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime

from standardwebhooks import Webhook

HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
_TIMESTAMP = re.compile(r"[0-9]{1,10}")
# The signed content is "<id>.<timestamp>.<body>": an id with a dot (or blanks, or control
# characters) could be read two ways, so only visible ASCII without "." is accepted. 200 is the
# length of WebhookDelivery.webhook_id.
_WEBHOOK_ID = re.compile(r"[\x21-\x2d\x2f-\x7e]{1,200}")


class SignatureError(Exception):
    """The delivery is refused. `status` is the HTTP answer (400 malformed, 401 not authentic)."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def parse_secrets(value: str) -> list[Webhook]:
    """`ZHIYI_WEBHOOK_SECRET`: one `whsec_<base64>` secret, or several separated by blanks or
    commas while a secret is being rotated (any of them verifies; the first one signs)."""
    secrets = [s for s in re.split(r"[\s,]+", value.strip()) if s]
    try:
        return [Webhook(s) for s in secrets]
    except Exception as exc:  # noqa: BLE001 — the package raises binascii.Error, its own errors, RuntimeError
        raise ValueError(f"ZHIYI_WEBHOOK_SECRET is not a valid whsec_ secret ({type(exc).__name__}).") from None


def sign_headers(*, secret: str, webhook_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers for `body`, signed with the first secret."""
    webhook = parse_secrets(secret)[0]
    ts = int(time.time()) if timestamp is None else timestamp
    signature = webhook.sign(webhook_id, datetime.fromtimestamp(ts, tz=UTC), body.decode("utf-8"))
    return {"webhook-id": webhook_id, "webhook-timestamp": str(ts), "webhook-signature": signature}


def verify(*, body: bytes, headers: Mapping[str, str], secrets: list[Webhook], tolerance_s: int,
           now: float | None = None) -> str:
    """Check one delivery and return its webhook id. Raises SignatureError.

    Missing or malformed id: 400. Bad timestamp, outside the tolerance (either way), or no
    matching `v1` signature: 401. The caller has already refused an oversized body (413)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    webhook_id, timestamp, signatures = (lowered.get(name, "") for name in HEADERS)
    if not (webhook_id and timestamp and signatures):
        raise SignatureError("The webhook-id, webhook-timestamp and webhook-signature headers are required.",
                             status=400, code="missing_headers")
    if not _WEBHOOK_ID.fullmatch(webhook_id):
        raise SignatureError("The webhook-id header is malformed (visible ASCII without '.', at most 200).",
                             status=400, code="invalid_webhook_id")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise SignatureError("The webhook-timestamp header must be 1 to 10 digits.", status=401,
                             code="invalid_timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance_s:
        raise SignatureError("The webhook timestamp is outside the allowed tolerance.", status=401,
                             code="stale_timestamp")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureError("The body is not UTF-8 JSON.", status=400, code="malformed_body") from None
    # Within the tolerance a timestamp has no leading zeros, so the package's own formatting of
    # it equals the header: the signed content is exactly "<id>.<timestamp header>.<body>".
    signed_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    expected = [base64.b64decode(w.sign(webhook_id, signed_at, text).split(",", 1)[1]) for w in secrets]
    for entry in signatures.split(" "):
        candidate = _v1_signature(entry)
        if candidate is not None and any(hmac.compare_digest(candidate, e) for e in expected):
            return webhook_id
    raise SignatureError("No valid signature.", status=401, code="invalid_signature")


def _v1_signature(entry: str) -> bytes | None:
    """The 32 signature bytes of a `v1,<base64>` entry; None for anything else (never raises)."""
    parts = entry.split(",")
    if len(parts) != 2 or parts[0] != "v1":
        return None
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None
