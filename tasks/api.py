"""JSON API for tasks: parse input, call a service, answer. No status or balance changes here."""
from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from credits.selectors import balance_of
from lib.api import authenticated_errors, rate_limit_headers
from lib.throttling import RateLimitHeaders
from tasks import documents, engines, services
from tasks.errors import InvalidInput
from tasks.models import ProcessingTask, Status
from tasks.serializers import (
    EngineSerializer,
    QuoteSerializer,
    TaskInputSerializer,
    TaskOutputSerializer,
    TaskUploadSerializer,
)

UPLOAD_ERRORS = ("invalid", "no_file", "empty_file", "no_text", "invalid_document", "corrupt_document",
                 "encrypted_document", "zip_bomb", "no_text_in_pdf", "undecodable_text", "unknown_engine",
                 "engine_unavailable", "unsupported_language_pair", "invalid_options", "invalid_glossary",
                 "file_too_large", "unsupported_format", "unsupported_media_type", "throttled")

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique string up to 200 characters (a UUID). The same request again with the same key "
                "answers the first request's task (201, `Idempotent-Replayed: true`) without charging again; the "
                "key with a different request answers 422 `idempotency_key_reused`.")
def _own_task(request, task_id: int) -> ProcessingTask:  # type: ignore[no-untyped-def]
    # Someone else's task is a 404, exactly like a task that does not exist.
    task = ProcessingTask.objects.filter(pk=task_id, user=request.user).first()
    if task is None:
        raise Http404(_("No such task."))
    return task


class EngineListApi(APIView):
    @extend_schema(operation_id="engines_list", responses={200: EngineSerializer(many=True),
                                                           **authenticated_errors()},
                   description="The engines this site offers, with their language pairs and rates. A fixed "
                               "catalogue (a handful of entries), so answered whole rather than paginated.")
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response(EngineSerializer(engines.catalogue(), many=True).data)


class FormatOutputSerializer(serializers.Serializer):
    extension = serializers.CharField(help_text="the output file's extension, without the dot")
    content_type = serializers.CharField()


class FormatSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="the short name quotes and tasks report")
    label = serializers.CharField()
    extensions = serializers.ListField(child=serializers.CharField(), help_text="lower case, without the dot")
    kept = serializers.CharField(help_text="what the translated file keeps, in plain words")
    layout_note = serializers.CharField(help_text="what is not kept (empty when the layout is)")
    outputs = FormatOutputSerializer(many=True, help_text="what a translation comes back as; the first by default")
    bilingual = serializers.BooleanField(help_text="whether `bilingual` output (source beside translation) exists")


class FormatListApi(APIView):
    @extend_schema(operation_id="formats_list", responses={200: FormatSerializer(many=True), **authenticated_errors()},
                   description="Every document format this site reads: its extensions, what a translation keeps "
                               "and the files it comes back as. An upload of another type answers 415 "
                               "`unsupported_format`. A fixed catalogue, answered whole.")
    def get(self, request):  # type: ignore[no-untyped-def]
        rows = [{"format": h.format, "label": h.label, "extensions": list(h.extensions), "kept": h.kept,
                 "layout_note": h.layout_note, "outputs": h.outputs, "bilingual": h.supports_bilingual}
                for h in documents.HANDLERS.values()]
        return Response(FormatSerializer(rows, many=True).data)


def _params(request) -> TaskInputSerializer:  # type: ignore[no-untyped-def]
    params = TaskInputSerializer(data=request.data)
    params.is_valid(raise_exception=True)
    return params


class QuoteApi(RateLimitHeaders, APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    parser_classes = [MultiPartParser]
    throttle_scope = "quote"

    @extend_schema(operation_id="quote_create", request=TaskUploadSerializer, parameters=rate_limit_headers(200),
                   responses={200: QuoteSerializer, **authenticated_errors(*UPLOAD_ERRORS)},
                   description="What a task for this document would cost, without creating anything.")
    def post(self, request):  # type: ignore[no-untyped-def]
        params = _params(request)
        data = params.validated_data
        engine = services.check_engine(engine_name=data["engine"], source_lang=data["source_lang"],
                                       target_lang=data["target_lang"], options=params.task_options())
        upload = request.FILES.get("file")
        content = services.read_upload(upload)
        quote = services.quote_document(filename=upload.name or "document", data=content, engine=engine,
                                        user_id=request.user.pk, source_lang=data["source_lang"],
                                        target_lang=data["target_lang"],
                                        glossary_id=params.task_options().get("glossary_id"),
                                        output_format=params.task_options().get("output_format", ""))
        balance = balance_of(user_id=request.user.pk)
        return Response(QuoteSerializer({
            "format": quote.format, "characters": quote.characters, "segments": quote.segments,
            "memory_characters": quote.memory_characters, "billed_characters": quote.billed_characters,
            "cost": quote.cost, "rate_per_1000": quote.rate_per_1000, "memory_points": quote.memory_points,
            "balance": balance, "balance_after": balance - quote.cost,
            "layout_note": quote.layout_note, "output_format": quote.output_format}).data)


def _idempotency_key(request) -> str | None:  # type: ignore[no-untyped-def]
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and (len(key) > 200 or not key.isprintable()):
        raise InvalidInput(_("The Idempotency-Key header must be printable and at most 200 characters."),
                           code="invalid_idempotency_key")
    return key


class TaskListCreateApi(RateLimitHeaders, ListAPIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    serializer_class = TaskOutputSerializer
    parser_classes = [MultiPartParser]
    throttle_scope = "create"

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return super().get_throttles() if self.request.method == "POST" else []  # listing is not a quota

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = ProcessingTask.objects.filter(user=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in Status.values:
                raise ValidationError({"status": [_("Not one of: %(values)s.") % {"values": ", ".join(Status.values)}]})
            queryset = queryset.filter(status=wanted)
        query = self.request.query_params.get("q", "").strip()
        if query:
            queryset = queryset.filter(filename__icontains=query)
        return queryset

    @extend_schema(operation_id="tasks_list", parameters=[
        OpenApiParameter("status", str, enum=Status.values, description="only tasks in this status"),
        OpenApiParameter("q", str, description="only tasks whose file name contains this (any case)")],
        responses={200: TaskOutputSerializer(many=True), **authenticated_errors("invalid")},
        description="Your tasks, newest first.")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="tasks_create", request=TaskUploadSerializer, parameters=[
        IDEMPOTENCY_KEY, *rate_limit_headers(201),
        OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[201], description="the task's URL"),
        OpenApiParameter("Idempotent-Replayed", str, OpenApiParameter.HEADER, response=[201],
                         description="`true` when this answers an earlier request with the same key")],
                   responses={201: TaskOutputSerializer,
                              **authenticated_errors(*UPLOAD_ERRORS, "invalid_idempotency_key", "insufficient_credits",
                                              "idempotency_key_reused")},
                   description="Upload a document and start translating it. The cost is reserved at once and "
                               "settled when the task ends (refunded if it fails or is cancelled).")
    def post(self, request):  # type: ignore[no-untyped-def]
        params = _params(request)
        data = params.validated_data
        task = services.create_task(
            user_id=request.user.pk, upload=request.FILES.get("file"), engine_name=data["engine"],
            source_lang=data["source_lang"], target_lang=data["target_lang"], options=params.task_options(),
            idempotency_key=_idempotency_key(request))
        headers = {"Location": reverse("api-task-detail", args=[task.pk])}
        if getattr(task, "replayed", False):
            headers["Idempotent-Replayed"] = "true"
        return Response(TaskOutputSerializer(task).data, status=status.HTTP_201_CREATED, headers=headers)


class TaskDetailApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    @extend_schema(operation_id="tasks_retrieve", responses={200: TaskOutputSerializer,
                                                             **authenticated_errors("not_found")})
    def get(self, request, task_id: int):  # type: ignore[no-untyped-def]
        return Response(TaskOutputSerializer(_own_task(request, task_id)).data)

    @extend_schema(operation_id="tasks_destroy", responses={204: OpenApiResponse(description="deleted, with its files"),
                                                            **authenticated_errors("not_found", "invalid_state")},
                   description="Delete a finished task and its files (a running one answers 409: cancel it first).")
    def delete(self, request, task_id: int):  # type: ignore[no-untyped-def]
        services.delete_task(task_id=_own_task(request, task_id).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskCancelApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    @extend_schema(operation_id="tasks_cancel", request=None,
                   responses={200: TaskOutputSerializer, **authenticated_errors("not_found", "invalid_state")},
                   description="Stop a queued or running task; its reserved points come back.")
    def post(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = services.cancel_task(task_id=_own_task(request, task_id).pk, actor=f"user:{request.user.pk}")
        return Response(TaskOutputSerializer(task).data)


class TaskRetryApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    @extend_schema(operation_id="tasks_retry", request=None,
                   responses={200: TaskOutputSerializer,
                              **authenticated_errors("not_found", "invalid_state", "insufficient_credits")},
                   description="Run a failed or cancelled task again; it is priced and reserved like a new one.")
    def post(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = services.retry_task(task_id=_own_task(request, task_id).pk, actor=f"user:{request.user.pk}")
        return Response(TaskOutputSerializer(task).data)


class TaskResultApi(APIView):
    def perform_content_negotiation(self, request, force=False):  # type: ignore[no-untyped-def]
        return super().perform_content_negotiation(request, force=True)  # a file answers any Accept

    @extend_schema(operation_id="tasks_result", responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=(
            "the translated document, as an attachment (`Content-Disposition` names it; `Content-Type` is the "
            "document's own)")),
        **authenticated_errors("not_found", "not_ready")})
    def get(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = _own_task(request, task_id)
        if task.status != "completed" or not task.result:
            return Response({"detail": _("The translation is not ready."), "code": "not_ready"},
                            status=status.HTTP_409_CONFLICT)
        return FileResponse(task.result.open("rb"), as_attachment=True, filename=task.result_filename)

