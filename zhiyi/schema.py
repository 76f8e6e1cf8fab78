"""Schema hooks (SPECTACULAR_SETTINGS): what the OpenAPI document says beyond the REST views.

- `only_v1`: the views are routed twice (/api/v1/ and its alias /api/); the schema describes v1.
- `add_streams`: the SSE streams, served beside Django (streams/sse.py) and so not among its
  URLs: each a GET answering `text/event-stream`, its event types' JSON shapes as components.
- `task_event_webhook`: the signed webhook external engines deliver their events to.
"""
from __future__ import annotations

from drf_spectacular.plumbing import build_mocked_view
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema

from jobs.serializers import JobEventSerializer
from lib.api import ErrorSerializer
from notifications.api import NotificationEventSerializer
from tasks.serializers import TaskStatusEventSerializer, WebhookAnswerSerializer, WebhookEventSerializer

PREFIX = "/api/v1/"


def only_v1(endpoints):  # type: ignore[no-untyped-def]
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]


_ERROR = {"$ref": "#/components/schemas/Error"}
_ANSWER = {"$ref": "#/components/schemas/WebhookAnswer"}  # raw refs: a webhook's answers would be "...Request"
_SECURITY = [{"tokenAuth": []}, {"cookieAuth": []}, {"streamToken": []}]


def _refusals(extra: dict[str, str]) -> dict:
    answers = {
        "401": "no credentials (`not_authenticated`), or a bad or expired `?token=`",
        **extra,
        "429": "too many open streams for this account (`too_many_streams`)",
        "503": "the server holds too many streams (`too_many_streams`) or could not open one (`unavailable`); "
               "retry after `Retry-After` seconds",
    }
    return {status: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
            for status, text in answers.items()}


def _stream(*, operation_id: str, summary: str, description: str, events: dict[str, str], example: str,
            parameters: list | None = None, extra_refusals: dict[str, str] | None = None,
            ends: str = "") -> dict:
    responses = {
        "200": {
            "description": "the stream: `event:` / `id:` / `data:` frames (UTF-8), a `retry:` line first, and a "
                           "`: keep-alive` comment every 15 s. Event types: "
                           + "; ".join(f"`{name}`: `data` is a {ref} (JSON)" for name, ref in events.items())
                           + (f". {ends}" if ends else ""),
            "content": {"text/event-stream": {
                "schema": {"type": "string", "x-sse-events": {
                    name: {"$ref": f"#/components/schemas/{ref}"} for name, ref in events.items()}},
                "example": example}},
        },
        **_refusals(extra_refusals or {}),
    }
    if ends:
        responses["204"] = {"description": "the client already holds the final state (`Last-Event-ID` = the final "
                                           "version): EventSource stops reconnecting"}
    return {"get": {
        "operationId": operation_id, "summary": summary, "description": description, "tags": ["streams"],
        "security": _SECURITY,
        "parameters": [*(parameters or []),
                       {"name": "token", "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "a stream token from POST /api/v1/streams/token/ (for a browser EventSource on "
                                       "another origin); never the API token"},
                       {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"},
                        "description": "sent by EventSource when it reconnects (or `?lastEventId=`)"}],
        "responses": responses}}


_TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_STATUS_FRAME = ('retry: 2000\n\nid: 3\nevent: status\ndata: {"taskId": 42, "status": "processing", "progress": 40, '
                 '"message": "Translating (4 of 10)", "messageCode": "translating", "messageParams": {"done": 4, '
                 '"total": 10}, "version": 3, "resultUrl": null, "error": null}\n\n')


def stream_paths() -> dict:
    return {
        "/sse/tasks/{task_id}/": _stream(
            operation_id="streams_task", summary="Follow one task",
            description="The task's current state first, then each change. Ends after a terminal status "
                        "(`completed`, `failed`, `cancelled`).",
            parameters=[_TASK_ID], events={"status": "TaskStatusEvent"}, example=_STATUS_FRAME,
            extra_refusals={"404": "no such task of yours (`not_found`)"},
            ends="The stream ends after the terminal event."),
        "/sse/tasks/": _stream(
            operation_id="streams_tasks", summary="Follow all your tasks",
            description="A `status` event for every change of any of your tasks (one connection for a whole list).",
            events={"status": "TaskStatusEvent"}, example=_STATUS_FRAME),
        "/sse/jobs/{job_id}/": _stream(
            operation_id="streams_job", summary="Follow one job",
            description="One connection for a whole job: every task's `status` and the job's summary (`job`) "
                        "first, then each change. Ends after a `job` event whose status has ended (`completed`, "
                        "`partial`, `failed`, `cancelled`).",
            parameters=[{"name": "job_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            events={"status": "TaskStatusEvent", "job": "JobEvent"},
            example='retry: 2000\n\nid: 14\nevent: job\ndata: {"jobId": 7, "status": "processing", "progress": 40, '
                    '"total": 6, "counts": {"queued": 2, "processing": 2, "waiting_external": 0, "completed": 2, '
                    '"failed": 0, "cancelled": 0}, "characters": 3100, "reserved": 12, "charged": 6, "refunded": 1, '
                    '"version": 14, "resultUrl": "/api/v1/jobs/7/result/"}\n\n',
            extra_refusals={"404": "no such job of yours (`not_found`)"},
            ends="The stream ends after the job's final `job` event."),
        "/sse/notifications/": _stream(
            operation_id="streams_notifications", summary="Your notifications, live",
            description="Your unread notifications first, then each new one. After `Last-Event-ID` it replays what "
                        "came since; a cursor it cannot honour gets a `reset` event (empty data) first.",
            events={"notification": "NotificationEvent"},
            example='id: 7\nevent: notification\ndata: {"id": 7, "kind": "task_completed", "title": "report.docx is '
                    'translated", "body": "", "url": "/tasks/42/", "createdAt": "2026-01-05T10:00:00+00:00"}\n\n'),
    }


def add_streams(result, generator, request, public):  # type: ignore[no-untyped-def]
    for serializer in (TaskStatusEventSerializer, JobEventSerializer, NotificationEventSerializer, ErrorSerializer,
                       WebhookAnswerSerializer):
        view = build_mocked_view("GET", "/", extend_schema(responses=serializer), generator.registry)
        view.schema.resolve_serializer(serializer, "response")
    # Rebuilt: the webhook's and the events' components were registered after the first build.
    result["components"] = {**result.get("components", {}),
                            **generator.registry.build(spectacular_settings.APPEND_COMPONENTS)}
    result["paths"].update(stream_paths())
    schemes = result["components"].setdefault("securitySchemes", {})
    schemes["streamToken"] = {"type": "apiKey", "in": "query", "name": "token",
                              "description": "a stream token (POST /api/v1/streams/token/): SSE paths only"}
    webhook = result.get("webhooks", {}).get("taskEvent", {}).get("post")
    if webhook is not None:
        webhook["requestBody"]["content"]["application/json"]["example"] = {
            "type": "task.completed", "data": {"external_task_id": "job-81", "characters": 1200,
                                               "result_url": "https://engine.example/results/81"}}
        webhook["parameters"] = [
            {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": text}
            for name, text in WEBHOOK_HEADERS.items()]
    result.setdefault("tags", []).append({"name": "streams", "description": "Server-Sent Events (docs/api.md, "
                                                                            "\"Streams\")"})
    return result


WEBHOOK_HEADERS = {
    "webhook-id": "unique per event (visible ASCII, no `.`, at most 200); a repeat is acknowledged, not applied",
    "webhook-timestamp": "Unix seconds; refused when more than 300 s away",
    "webhook-signature": "`v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\" with the whsec_ secret>` "
                         "(Standard Webhooks; several, separated by spaces, while a secret is rotated)",
}

task_event_webhook = OpenApiWebhook(
    name="taskEvent",
    decorator=extend_schema(
        summary="An external engine reports on a task",
        description="Sent by an external engine (the `external` engine's service) to the `callback_url` it was "
                    "given with the job, which is `POST {ZHIYI_PUBLIC_URL}/api/tasks/webhook/`. Signed per Standard "
                    "Webhooks; see docs/api.md, \"Webhook\", for the checks in order.",
        request=WebhookEventSerializer,
        responses={
            200: OpenApiResponse(_ANSWER, description="received (applied, ignored, or a duplicate)"),
            400: OpenApiResponse(_ERROR, description="malformed headers or body (`missing_headers`, "
                                 "`invalid_webhook_id`, `malformed_body`, `unknown_type`)"),
            401: OpenApiResponse(_ERROR, description="not authentic (`invalid_signature`, "
                                 "`invalid_timestamp`, `stale_timestamp`)"),
            404: OpenApiResponse(_ERROR, description="no task has this external_task_id yet (retry)"),
            409: OpenApiResponse(_ERROR, description="this delivery is being applied now (retry after "
                                 "`Retry-After`)"),
            413: OpenApiResponse(_ERROR, description="the body is over ZHIYI_WEBHOOK_MAX_BODY_BYTES"),
            503: OpenApiResponse(_ERROR, description="no webhook secret is configured"),
        },
    ),
)
