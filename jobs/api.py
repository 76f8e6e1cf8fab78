"""JSON API for jobs: parse input, call a service, answer. Each job's tasks are normal tasks
(their own URLs under /api/v1/tasks/)."""
from __future__ import annotations

from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from credits.selectors import balance_of
from jobs import services
from jobs.models import Job
from jobs.result import stream_result
from jobs.selectors import job_tasks, summarize
from jobs.serializers import (
    JobActionSerializer,
    JobDetailSerializer,
    JobInputSerializer,
    JobSerializer,
    JobUploadSerializer,
    MultiQuoteSerializer,
    QuoteUploadSerializer,
    job_data,
)
from lib.api import authenticated_errors, rate_limit_headers
from lib.throttling import RateLimitHeaders
from tasks import api as task_api
from tasks.pricing import rate_for

JOB_ERRORS = (*task_api.UPLOAD_ERRORS, "documents_refused", "unsafe_archive", "too_many_documents",
              "language_not_detected")


def _own_job(request, job_id: int) -> Job:  # type: ignore[no-untyped-def]
    job = Job.objects.filter(pk=job_id, user=request.user).first()
    if job is None:  # someone else's job is a 404, exactly like a job that does not exist
        raise Http404(_("No such job."))
    return job


def _cost(job: Job) -> int:
    return sum(job_tasks(job).values_list("cost", flat=True))


def _detail(job: Job) -> dict:
    tasks = list(job_tasks(job))
    return JobDetailSerializer(job_data(job, summarize(job), cost=sum(t.cost for t in tasks), tasks=tasks)).data


def _params(request) -> JobInputSerializer:  # type: ignore[no-untyped-def]
    params = JobInputSerializer(data=request.data)
    params.is_valid(raise_exception=True)
    return params


class JobListCreateApi(RateLimitHeaders, ListAPIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    serializer_class = JobSerializer
    parser_classes = [MultiPartParser]
    throttle_scope = "create"

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return super().get_throttles() if self.request.method == "POST" else []  # listing is not a quota

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Job.objects.filter(user=self.request.user)

    def list(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        page = self.paginate_queryset(self.get_queryset())
        rows = [job_data(job, summarize(job), cost=_cost(job)) for job in page]  # type: ignore[union-attr]
        return self.get_paginated_response(JobSerializer(rows, many=True).data)

    @extend_schema(operation_id="jobs_list", responses={200: JobSerializer(many=True), **authenticated_errors()},
                   description="Your jobs, newest first.")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="jobs_create", request=JobUploadSerializer, parameters=[
        task_api.IDEMPOTENCY_KEY, *rate_limit_headers(201),
        OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[201], description="the job's URL"),
        OpenApiParameter("Idempotent-Replayed", str, OpenApiParameter.HEADER, response=[201],
                         description="`true` when this answers an earlier request with the same key")],
        responses={201: JobDetailSerializer,
                   **authenticated_errors(*JOB_ERRORS, "invalid_idempotency_key", "insufficient_credits",
                                          "idempotency_key_reused")},
        description="Translate several documents (a zip's documents included) into several languages: one task "
                    "per document × target language, the whole cost reserved at once. All or nothing: a document "
                    "that cannot be translated refuses the job (400 `documents_refused` names each), and a balance "
                    "short of the total refuses it (402 with the total as `cost`); nothing is created then.")
    def post(self, request):  # type: ignore[no-untyped-def]
        params = _params(request)
        data = params.validated_data
        job = services.create_job(
            user_id=request.user.pk, uploads=request.FILES.getlist("files"), engine_name=data["engine"],
            source_lang=data["source_lang"], target_langs=data["target_langs"], options=params.task_options(),
            idempotency_key=task_api._idempotency_key(request), paths=data.get("paths"))
        headers = {"Location": reverse("api-job-detail", args=[job.pk])}
        if getattr(job, "replayed", False):
            headers["Idempotent-Replayed"] = "true"
        return Response(_detail(job), status=status.HTTP_201_CREATED, headers=headers)


class JobDetailApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)

    @extend_schema(operation_id="jobs_retrieve", responses={200: JobDetailSerializer,
                                                            **authenticated_errors("not_found")},
                   description="A job: counts per status, progress, characters, points reserved, charged and "
                               "refunded, and every task.")
    def get(self, request, job_id: int):  # type: ignore[no-untyped-def]
        return Response(_detail(_own_job(request, job_id)))

    @extend_schema(operation_id="jobs_destroy", responses={
        204: OpenApiResponse(description="deleted, with its tasks and their files"),
        **authenticated_errors("not_found", "invalid_state")},
        description="Delete an ended job with its tasks and their files (an unfinished one answers 409: cancel "
                    "it first).")
    def delete(self, request, job_id: int):  # type: ignore[no-untyped-def]
        services.delete_job(job_id=_own_job(request, job_id).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _action_answer(job: Job, report) -> Response:  # type: ignore[no-untyped-def]
    return Response(JobActionSerializer({"job": job_data(job, summarize(job), cost=_cost(job)),
                                         "done": report.done, "refused": report.refused}).data)


class JobCancelApi(APIView):
    api_key_scope = "translate"

    @extend_schema(operation_id="jobs_cancel", request=None,
                   responses={200: JobActionSerializer, **authenticated_errors("not_found")},
                   description="Cancel every unfinished task of the job; their reserved points come back.")
    def post(self, request, job_id: int):  # type: ignore[no-untyped-def]
        job = _own_job(request, job_id)
        return _action_answer(job, services.cancel_job(job_id=job.pk, actor=f"user:{request.user.pk}"))


class JobRetryApi(APIView):
    api_key_scope = "translate"

    @extend_schema(operation_id="jobs_retry", request=None,
                   responses={200: JobActionSerializer, **authenticated_errors("not_found")},
                   description="Run every failed task of the job again, each priced and reserved like a new one "
                               "(a task the balance cannot cover is listed in `refused`).")
    def post(self, request, job_id: int):  # type: ignore[no-untyped-def]
        job = _own_job(request, job_id)
        return _action_answer(job, services.retry_job(job_id=job.pk, actor=f"user:{request.user.pk}"))


class JobResultApi(APIView):
    def perform_content_negotiation(self, request, force=False):  # type: ignore[no-untyped-def]
        return super().perform_content_negotiation(request, force=True)  # a file answers any Accept

    @extend_schema(operation_id="jobs_result", responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=(
            "a zip (`Content-Type: application/zip`) of every completed translation at "
            "`<path>/<stem>.<target>.<ext>`, with `manifest.json` (`complete`, `files`, `failed` with why, "
            "`pending`); streamed")),
        **authenticated_errors("not_found", "not_ready")})
    def get(self, request, job_id: int):  # type: ignore[no-untyped-def]
        job = _own_job(request, job_id)
        if not summarize(job).counts["completed"]:
            return Response({"detail": _("No translation of this job is ready yet."), "code": "not_ready"},
                            status=status.HTTP_409_CONFLICT)
        response = StreamingHttpResponse(stream_result(job), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="job-{job.pk}.zip"'
        return response


def _rate_of(plan: services.JobPlan, engine_name: str) -> int:
    """The engine's price per 1,000 characters (every line of a job has the same engine)."""
    return plan.tasks[0].quote.rate_per_1000 if plan.tasks else rate_for(engine_name)


class QuoteApi(task_api.QuoteApi):
    """POST /api/quote/: one document for one language (the answer as it always was), or several
    documents and/or languages (`files`, `target_langs`): each line, each refusal and the total."""

    @extend_schema(operation_id="quote_create",
                   request=QuoteUploadSerializer, parameters=rate_limit_headers(200),
                   responses={200: MultiQuoteSerializer,
                              **authenticated_errors(*JOB_ERRORS)},
                   description="What a task (`file`, `target_lang`) or a job (`files`, `target_langs`) would cost, "
                               "without creating anything. The single answer's fields are always there; a job's "
                               "quote adds one line per document × language, the refusals and the total.")
    def post(self, request):  # type: ignore[no-untyped-def]
        if "files" not in request.data and "target_langs" not in request.data:
            return super().post(request)
        params = _params(request)
        data = params.validated_data
        uploads = request.FILES.getlist("files") or request.FILES.getlist("file")
        plan = services.plan_job(user_id=request.user.pk, uploads=uploads, engine_name=data["engine"],
                                 source_lang=data["source_lang"], target_langs=data["target_langs"],
                                 options=params.task_options(), paths=data.get("paths"))
        lines = [{"name": t.upload.name, "source_lang": t.source_lang, "confidence": t.confidence,
                  "target_lang": t.target_lang, "format": t.quote.format,
                  "characters": t.quote.characters, "segments": t.quote.segments,
                  "memory_characters": t.quote.memory_characters, "billed_characters": t.quote.billed_characters,
                  "cost": t.quote.cost, "rate_per_1000": t.quote.rate_per_1000,
                  "memory_points": t.quote.memory_points, "layout_note": t.quote.layout_note,
                  "output_format": t.quote.output_format}
                 for t in plan.tasks]
        formats = {line["format"] for line in lines}
        outputs = {line["output_format"] for line in lines}
        balance = balance_of(user_id=request.user.pk)
        return Response(MultiQuoteSerializer({
            "format": formats.pop() if len(formats) == 1 else "mixed",
            **{key: sum(line[key] for line in lines) for key in ("characters", "segments", "memory_characters",
                                                                  "billed_characters", "memory_points")},
            "rate_per_1000": _rate_of(plan, data["engine"]),
            "cost": plan.cost, "total": plan.cost, "balance": balance, "balance_after": balance - plan.cost,
            "layout_note": " ".join(dict.fromkeys(line["layout_note"] for line in lines if line["layout_note"])),
            "output_format": outputs.pop() if len(outputs) == 1 else "mixed",
            "documents": lines, "refused": plan.refused}).data)
