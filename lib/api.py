"""What every API view shares: the error shape, its documentation, the one pagination.

Every error answers `{"detail": <plain words in the reader's language>, "code": <machine code>}`
(zhiyi/api.py makes it so); `ERROR_CODES` is the catalogue clients may switch on, and `errors()`
documents a view's error answers with the codes it can give.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

# code → (HTTP status, what it means). The catalogue docs/api.md lists and tests check.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "invalid": (400, "a field is missing or wrong; `errors` maps each field to its messages"),
    "parse_error": (400, "the body could not be parsed"),
    "no_file": (400, "no file was sent"),
    "empty_file": (400, "the file is empty"),
    "no_text": (400, "the document contains no text to translate"),
    "invalid_document": (400, "the file could not be read"),
    "corrupt_document": (400, "the file is damaged"),
    "encrypted_document": (400, "the file is password-protected"),
    "zip_bomb": (400, "the file inflates beyond the limits"),
    "no_text_in_pdf": (400, "the PDF's text is all rotated or inside embedded forms: nothing can be set in place"),
    "no_text_in_scan": (400, "OCR found no text it is sure of in the scan or image"),
    "ocr_unavailable": (400, "scans in this language cannot be read here (no OCR, or no data for the language)"),
    "too_many_pages": (400, "the scan has more pages than the limit"),
    "unsupported_output_format": (400, "the document cannot be delivered as the `output_format` asked for "
                                       "(`detail` lists what its format offers)"),
    "undecodable_text": (400, "the text could not be decoded"),
    "unknown_engine": (400, "no such engine is offered"),
    "engine_unavailable": (400, "the engine is not available right now (`detail` says why)"),
    "unsupported_language_pair": (400, "the engine does not translate between these languages"),
    "invalid_options": (400, "a task option is not valid for this engine"),
    "invalid_glossary": (400, "the glossary CSV could not be used"),
    "documents_refused": (400, "some documents of a job cannot be translated (nothing was created): `documents` "
                               "names each with its target language, `code` and `detail`"),
    "unsafe_archive": (400, "a zip holds a name that climbs out of its folder or is absolute: refused whole"),
    "language_not_detected": (400, "with `source_lang=auto`: a document's language cannot be told, or is not "
                                   "clear enough (inside `documents`)"),
    "too_many_documents": (400, "a job holds more documents, or documents × languages, than the limits"),
    "invalid_idempotency_key": (400, "the Idempotency-Key header is longer than 200 characters or not printable"),
    "invalid_range": (400, "`from` / `to` are not dates, are reversed, or span more than 366 days"),
    "invalid_credentials": (400, "the username or password is wrong"),
    "name_required": (400, "an API key needs a name"),
    "name_too_long": (400, "an API key's name is too long"),
    "unknown_scope": (400, "an API key scope is not one of `read`, `translate`, `glossaries`"),
    "expiry_in_past": (400, "an API key's expiry must be in the future"),
    "too_many_keys": (400, "the account holds as many live API keys as it may (`ZHIYI_API_KEYS_PER_USER`)"),
    "not_authenticated": (401, "no credentials were sent"),
    "authentication_failed": (401, "the credentials are wrong, revoked or expired"),
    "invalid_api_key": (401, "the API key is unknown, expired or revoked"),
    "inactive_user": (401, "the account is deactivated"),
    "insufficient_credits": (402, "the balance does not cover the cost; `balance` and `cost` say by how much"),
    "permission_denied": (403, "the credentials may not do this"),
    "api_key_scope": (403, "the API key's scopes do not allow this (API keys never manage keys)"),
    "not_found": (404, "no such resource (another user's resource is not found either)"),
    "method_not_allowed": (405, "the path does not take this method"),
    "not_acceptable": (406, "the Accept header asks for a type this path cannot give"),
    "invalid_state": (409, "the task's status does not allow this (cancel a finished task, delete a running one)"),
    "not_ready": (409, "the translation is not ready yet"),
    "file_too_large": (413, "the upload is over the size limit"),
    "unsupported_format": (415, "this type of document is not supported"),
    "unsupported_media_type": (415, "the body's Content-Type is not one this path takes"),
    "idempotency_key_reused": (422, "the Idempotency-Key was already used with a different request"),
    "throttled": (429, "too many requests: wait `Retry-After` seconds"),
    "locked_out": (429, "too many failed sign-ins for this username from this address: `retry_after` says "
                        "how many seconds to wait"),
    "too_many_streams": (429, "too many open streams for this account (503 when the server is full)"),
    "unavailable": (503, "the server cannot answer right now: retry after `Retry-After` seconds"),
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="what went wrong, in plain words (in the request's language)")
    code = serializers.CharField(help_text="a machine code from the catalogue (docs/api.md, \"Errors\")")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="with code `invalid`: each field's messages")


class RefusedDocumentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="the document's path inside the job (a zip's folders kept)")
    target_lang = serializers.CharField(allow_blank=True, help_text="'' when every language is refused")
    code = serializers.CharField(help_text="a code from the catalogue")
    detail = serializers.CharField(help_text="why, in plain words")


class DocumentsRefusedSerializer(ValidationErrorSerializer):
    documents = RefusedDocumentSerializer(many=True, required=False,
                                          help_text="with code `documents_refused`: each refused document")


class InsufficientCreditsSerializer(ErrorSerializer):
    balance = serializers.IntegerField(help_text="the balance now")
    cost = serializers.IntegerField(help_text="what the request needs")


_STATUS_WORDS = {400: "Bad request", 401: "Not authenticated", 402: "Not enough credits", 403: "Forbidden",
                 404: "Not found", 409: "Conflict with the resource's state", 413: "Too large",
                 415: "Unsupported type", 422: "Idempotency key reused", 429: "Too many requests",
                 503: "Unavailable"}


def errors(*codes: str) -> dict[int, OpenApiResponse]:
    """The documented error answers of a view, one per HTTP status, listing its codes. 401 is
    added for every authenticated view by `authenticated_errors`."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(ERROR_CODES[code][0], []).append(code)
    out: dict[int, OpenApiResponse] = {}
    for status, found in sorted(by_status.items()):
        serializer: type[serializers.Serializer] = ErrorSerializer
        if "documents_refused" in found:
            serializer = DocumentsRefusedSerializer
        elif "invalid" in found:
            serializer = ValidationErrorSerializer
        elif found == ["insufficient_credits"]:
            serializer = InsufficientCreditsSerializer
        lines = "; ".join(f"`{c}`: {ERROR_CODES[c][1]}" for c in found)
        out[status] = OpenApiResponse(
            response=serializer, description=f"{_STATUS_WORDS.get(status, 'Error')}. Codes: {lines}.",
            examples=[OpenApiExample(c, value={"detail": ERROR_CODES[c][1], "code": c}, status_codes=[status],
                                     response_only=True) for c in found])
    return out


def authenticated_errors(*codes: str) -> dict[int, OpenApiResponse]:
    return errors("not_authenticated", "authentication_failed", *codes)


def message(name: str, **fields: serializers.Field) -> serializers.Serializer:
    """A small named response body (`{"deleted": 3}`), typed in the schema."""
    return inline_serializer(name=name, fields=fields)


RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "requests allowed per window by the tightest budget",
    "RateLimit-Remaining": "requests left in that window",
    "RateLimit-Reset": "seconds until the oldest counted request leaves the window",
    "RateLimit-Policy": "every budget that applies, as `<limit>;w=<window seconds>`",
}


def rate_limit_headers(*statuses: int) -> list[OpenApiParameter]:
    """The response headers of a throttled view (lib/throttling.py), on its answers `statuses`,
    and `Retry-After` on its 429."""
    return [
        *(OpenApiParameter(name, int, OpenApiParameter.HEADER, response=[*statuses, 429], description=text)
          for name, text in RATE_LIMIT_HEADERS.items()),
        OpenApiParameter("Retry-After", int, OpenApiParameter.HEADER, response=[429],
                         description="seconds to wait before trying again"),
    ]


class Pagination(PageNumberPagination):
    """Every list: `?page=` (from 1) and `?page_size=` (1–200, default 50);
    answers `{count, next, previous, results}` with absolute `next` / `previous` links."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
