"""Standard Webhooks verification, stricter than the package: every malformed header is a clean
refusal (400 / 401), never an exception."""
from __future__ import annotations

import base64

import pytest

from tasks.webhooks.signing import SignatureError, parse_secrets, sign_headers, verify
from tests.webhooks.conftest import SECRET

VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _headers(**overrides: str) -> dict[str, str]:
    headers = {"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TS), "webhook-signature": VECTOR_SIG}
    headers.update(overrides)
    return {k: v for k, v in headers.items() if v is not None}


def _verify(headers: dict[str, str], body: bytes = VECTOR_BODY, now: float = VECTOR_TS) -> str:
    return verify(body=body, headers=headers, secrets=parse_secrets(SECRET), tolerance_s=300, now=now)


def test_the_standard_webhooks_test_vector_verifies_with_the_clock_pinned():
    assert _verify(_headers()) == VECTOR_ID
    assert sign_headers(secret=SECRET, webhook_id=VECTOR_ID, body=VECTOR_BODY,
                        timestamp=VECTOR_TS)["webhook-signature"] == VECTOR_SIG


def test_header_names_are_case_insensitive():
    assert _verify({k.title(): v for k, v in _headers().items()}) == VECTOR_ID


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_400(missing):
    headers = _headers()
    del headers[missing]
    with pytest.raises(SignatureError) as exc:
        _verify(headers)
    assert exc.value.status == 400 and exc.value.code == "missing_headers"


@pytest.mark.parametrize("webhook_id", ["msg.p5jX", "a b", "x" * 201, "msg_\x00"])
def test_a_malformed_webhook_id_is_400(webhook_id):
    body = VECTOR_BODY
    headers = {**_headers(), "webhook-id": webhook_id}
    with pytest.raises(SignatureError) as exc:
        _verify(headers, body)
    assert exc.value.status == 400 and exc.value.code == "invalid_webhook_id"


@pytest.mark.parametrize("timestamp", ["1e9", "1614265330.0", "-1614265330", "+1614265330", "16142653300",
                                       " 1614265330", "1614265330\n", "0x6037", "１６１４２６５３３０"])
def test_a_timestamp_that_is_not_1_to_10_digits_is_401(timestamp):
    with pytest.raises(SignatureError) as exc:
        _verify(_headers(**{"webhook-timestamp": timestamp}))
    assert exc.value.status == 401 and exc.value.code == "invalid_timestamp"


@pytest.mark.parametrize("offset", [-301, 301, -86400 * 3])
def test_a_timestamp_outside_the_tolerance_either_way_is_401(offset):
    with pytest.raises(SignatureError) as exc:
        _verify(_headers(), now=VECTOR_TS - offset)
    assert exc.value.status == 401 and exc.value.code == "stale_timestamp"


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_a_timestamp_inside_the_tolerance_is_accepted(offset):
    assert _verify(_headers(), now=VECTOR_TS + offset) == VECTOR_ID


@pytest.mark.parametrize("signature", [
    "v1",                                                     # no comma
    "v1,a,b",                                                 # too many parts
    "v1,not base64!!",                                        # bad base64
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",         # unpadded
    "v1," + base64.b64encode(b"x" * 31).decode(),             # not 32 bytes
    "v1," + base64.b64encode(b"x" * 32).decode(),             # 32 wrong bytes
    "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",        # only v2 entries
    "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    "V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ",,, v1,",
])
def test_a_malformed_or_wrong_signature_entry_is_no_match_401(signature):
    with pytest.raises(SignatureError) as exc:
        _verify(_headers(**{"webhook-signature": signature}))
    assert exc.value.status == 401 and exc.value.code == "invalid_signature"


def test_one_valid_entry_among_several_is_enough_for_secret_rotation():
    signature = f"v1,{base64.b64encode(b'y' * 32).decode()} v1,a,b v2,zzz {VECTOR_SIG}"
    assert _verify(_headers(**{"webhook-signature": signature})) == VECTOR_ID


def test_any_of_several_configured_secrets_verifies():
    other = "whsec_" + base64.b64encode(b"another secret of 24 byt").decode()
    headers = sign_headers(secret=other, webhook_id="msg_1", body=b"{}", timestamp=VECTOR_TS)
    secrets = parse_secrets(f"{SECRET} {other}")
    assert verify(body=b"{}", headers=headers, secrets=secrets, tolerance_s=300, now=VECTOR_TS) == "msg_1"
    with pytest.raises(SignatureError):
        verify(body=b"{}", headers=headers, secrets=parse_secrets(SECRET), tolerance_s=300, now=VECTOR_TS)


@pytest.mark.parametrize("body", [b'{"test": 2432232315}', b'{"test": 2432232314} ', b'{"test":2432232314}'])
def test_a_body_changed_after_signing_is_401(body):
    with pytest.raises(SignatureError) as exc:
        _verify(_headers(), body=body)
    assert exc.value.status == 401


def test_an_id_with_a_dot_cannot_shift_the_signed_content():
    # "<id>.<ts>.<body>" must have one reading: a dotted id is refused before any HMAC.
    body = b'{"a": 1}'
    headers = sign_headers(secret=SECRET, webhook_id="msg_1", body=body, timestamp=VECTOR_TS)
    forged = {**headers, "webhook-id": "msg_1.1614265330", "webhook-timestamp": str(VECTOR_TS)}
    with pytest.raises(SignatureError) as exc:
        _verify(forged, body)
    assert exc.value.status == 400
