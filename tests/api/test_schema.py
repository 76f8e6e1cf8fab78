"""The OpenAPI schema says everything a client needs (the test command also validates it with
`manage.py spectacular --validate --fail-on-warn` and checks the committed client against it)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from lib.api import ERROR_CODES
from notifications.events import notification_payload
from notifications.models import Notification
from streams import routes
from tasks.events import task_status_payload

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):  # type: ignore[no-untyped-def]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_it_is_openapi_3_1_and_states_the_version(schema):
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["version"].startswith("1.")
    assert "/api/v1/" in schema["info"]["description"]
    rest = [p for p in schema["paths"] if not p.startswith("/sse/")]
    assert rest and all(p.startswith("/api/v1/") for p in rest)  # the /api/ alias is not described twice


def test_every_operation_is_typed_with_its_errors(schema):
    ids = set()
    for path, method, operation in operations(schema):
        name = f"{method.upper()} {path}"
        assert operation["operationId"] not in ids, name
        ids.add(operation["operationId"])
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert successes, name
        for status, response in successes.items():
            if status != "204":
                assert response.get("content"), f"{name} {status} has no typed body"
                for media in response["content"].values():
                    assert media.get("schema"), f"{name} {status}"
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        assert errors, f"{name} documents no error"
        for response in errors.values():
            [media] = response["content"].values()
            assert media["schema"]["$ref"].split("/")[-1] in ("Error", "ValidationError", "InsufficientCredits",
                                                                  "DocumentsRefused")
        if operation.get("security") != [{}] and path != "/api/v1/auth/token/":
            assert "401" in operation["responses"], name


def test_error_responses_list_the_codes_they_can_give(schema):
    create = schema["paths"]["/api/v1/tasks/"]["post"]["responses"]
    assert "`insufficient_credits`" in create["402"]["description"]
    assert "`idempotency_key_reused`" in create["422"]["description"]
    for code in ("no_file", "empty_file", "unknown_engine", "unsupported_language_pair"):
        assert f"`{code}`" in create["400"]["description"], code
    assert "`file_too_large`" in create["413"]["description"]
    assert "`unsupported_format`" in create["415"]["description"]
    assert "`not_ready`" in schema["paths"]["/api/v1/tasks/{task_id}/result/"]["get"]["responses"]["409"]["description"]


def test_uploads_are_multipart_with_a_binary_file_only(schema):
    for path in ("/api/v1/tasks/", "/api/v1/quote/", "/api/v1/glossaries/"):
        body = schema["paths"][path]["post"]["requestBody"]
        assert list(body["content"]) == ["multipart/form-data"], path
        ref = body["content"]["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
        component = schema["components"]["schemas"][ref]
        assert component["properties"]["file"] == {**component["properties"]["file"], "type": "string",
                                                   "format": "binary"}
        if path != "/api/v1/quote/":  # a quote takes `file` or a job's `files`
            assert "file" in component["required"]
    quote = schema["components"]["schemas"]["QuoteUploadRequest"]["properties"]["files"]
    assert quote["items"] == {**quote["items"], "type": "string", "format": "binary"}
    job = schema["components"]["schemas"]["JobUploadRequest"]
    assert job["properties"]["files"]["items"]["format"] == "binary" and "files" in job["required"]


def test_headers_idempotency_rate_limits_and_pagination_are_described(schema):
    create = schema["paths"]["/api/v1/tasks/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert {"Location", "Idempotent-Replayed", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= \
        set(create["responses"]["201"]["headers"])
    assert "Retry-After" in create["responses"]["429"]["headers"]
    for path in ("/api/v1/quote/", "/api/v1/auth/token/"):
        assert "RateLimit-Remaining" in schema["paths"][path]["post"]["responses"]["200"]["headers"], path
    listing = schema["paths"]["/api/v1/tasks/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"page", "page_size", "q", "status"}
    for path, component in [("/api/v1/tasks/", "PaginatedTaskOutputList"), ("/api/v1/glossaries/", "PaginatedGlossaryList"),
                            ("/api/v1/credits/ledger/", "PaginatedLedgerEntryList"),
                            ("/api/v1/notifications/", "PaginatedNotificationList")]:
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(component)
        assert set(schema["components"]["schemas"][component]["properties"]) == {"count", "next", "previous", "results"}


def test_every_registered_stream_is_described_with_its_event_shapes(schema):
    described = {re.sub(r"\{\w+\}", "1", p) for p in schema["paths"] if p.startswith("/sse/")}
    for stream in routes._streams:
        assert any(stream.pattern.match(p) for p in described), stream.pattern.pattern
    for path in (p for p in schema["paths"] if p.startswith("/sse/")):
        response = schema["paths"][path]["get"]["responses"]["200"]
        assert list(response["content"]) == ["text/event-stream"]
        events = response["content"]["text/event-stream"]["schema"]["x-sse-events"]
        for ref in events.values():
            assert ref["$ref"].split("/")[-1] in schema["components"]["schemas"]
        assert {"streamToken": []} in schema["paths"][path]["get"]["security"]
        assert any(p["name"] == "token" and p["in"] == "query" for p in schema["paths"][path]["get"]["parameters"])


def test_the_event_schemas_match_what_the_streams_send(schema, task_row, user):
    components = schema["components"]["schemas"]
    task = task_row()
    assert set(components["TaskStatusEvent"]["properties"]) == set(task_status_payload(task))
    note = Notification.objects.create(user=user, kind="system")
    assert set(components["NotificationEvent"]["properties"]) == set(notification_payload(note))
    assert components["TaskStatusEvent"]["properties"]["status"]["$ref"].endswith("TaskStatusEnum")


def test_the_webhook_is_an_openapi_webhook(schema):
    webhook = schema["webhooks"]["taskEvent"]["post"]
    assert webhook["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("WebhookEvent")
    assert {p["name"] for p in webhook["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert {"200", "400", "401", "413"} <= set(webhook["responses"])
    types = schema["components"]["schemas"]["WebhookEvent"]["properties"]["type"]
    assert "task.completed" in str(types) or "WebhookEventTypeEnum" in str(types)


def test_the_guide_covers_every_operation_and_error_code(schema):
    guide = (ROOT / "docs" / "api.md").read_text()
    for path, method, _operation in operations(schema):
        plain = re.sub(r"\{(\w+)\}", r"<\1>", path)
        assert f"{method.upper()} {plain}" in guide, f"docs/api.md lacks {method.upper()} {plain}"
    for code in ERROR_CODES:
        assert f"`{code}`" in guide, code
    assert "EventSource" in guide and "webhook-signature" in guide and "Idempotency-Key" in guide


def test_the_committed_schema_is_what_this_database_backend_generates(schema):
    """clients/openapi.json is generated on SQLite; the suite also runs on PostgreSQL, where this
    shows the schema (and so the client) does not depend on the backend."""
    from drf_spectacular.renderers import OpenApiJsonRenderer

    rendered = json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))
    assert rendered == json.loads((ROOT / "clients" / "openapi.json").read_text())
