"""JSON API for tasks: parse input, call a service, answer. No status or balance changes here."""
from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from credits.selectors import balance_of
from tasks import engines, services
from tasks.models import ProcessingTask
from tasks.serializers import TaskInputSerializer, TaskOutputSerializer


def _own_task(request, task_id: int) -> ProcessingTask:  # type: ignore[no-untyped-def]
    # Someone else's task is a 404, exactly like a task that does not exist.
    task = ProcessingTask.objects.filter(pk=task_id, user=request.user).first()
    if task is None:
        raise Http404("No such task.")
    return task


class EngineListApi(APIView):
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response(engines.catalogue())


class QuoteApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=TaskInputSerializer)
    def post(self, request):  # type: ignore[no-untyped-def]
        params = TaskInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        engine = services.check_engine(engine_name=params.validated_data["engine"],
                                       source_lang=params.validated_data["source_lang"],
                                       target_lang=params.validated_data["target_lang"],
                                       options=params.task_options())
        upload = request.FILES.get("file")
        data = services.read_upload(upload)
        quote = services.quote_document(filename=upload.name or "document", data=data, engine=engine,
                                        user_id=request.user.pk, source_lang=params.validated_data["source_lang"],
                                        target_lang=params.validated_data["target_lang"],
                                        glossary_id=params.task_options().get("glossary_id"))
        balance = balance_of(user_id=request.user.pk)
        return Response({"format": quote.format, "characters": quote.characters, "segments": quote.segments,
                         "memory_characters": quote.memory_characters, "billed_characters": quote.billed_characters,
                         "cost": quote.cost, "balance": balance, "balance_after": balance - quote.cost,
                         "layout_note": quote.layout_note})


class TaskListCreateApi(ListAPIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)
    serializer_class = TaskOutputSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = ProcessingTask.objects.filter(user=self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(request=TaskInputSerializer, responses={201: TaskOutputSerializer})
    def post(self, request):  # type: ignore[no-untyped-def]
        params = TaskInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        task = services.create_task(
            user_id=request.user.pk, upload=request.FILES.get("file"), engine_name=data["engine"],
            source_lang=data["source_lang"], target_lang=data["target_lang"],
            options=params.task_options(),
            idempotency_key=request.headers.get("Idempotency-Key") or None,
        )
        return Response(TaskOutputSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)

    @extend_schema(responses=TaskOutputSerializer)
    def get(self, request, task_id: int):  # type: ignore[no-untyped-def]
        return Response(TaskOutputSerializer(_own_task(request, task_id)).data)

    def delete(self, request, task_id: int):  # type: ignore[no-untyped-def]
        services.delete_task(task_id=_own_task(request, task_id).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskCancelApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)

    @extend_schema(request=None, responses=TaskOutputSerializer)
    def post(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = services.cancel_task(task_id=_own_task(request, task_id).pk, actor=f"user:{request.user.pk}")
        return Response(TaskOutputSerializer(task).data)


class TaskRetryApi(APIView):
    api_key_scope = "translate"  # what an API key's writes here need (accounts/scopes.py)

    @extend_schema(request=None, responses=TaskOutputSerializer)
    def post(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = services.retry_task(task_id=_own_task(request, task_id).pk, actor=f"user:{request.user.pk}")
        return Response(TaskOutputSerializer(task).data)


class TaskResultApi(APIView):
    def get(self, request, task_id: int):  # type: ignore[no-untyped-def]
        task = _own_task(request, task_id)
        if task.status != "completed" or not task.result:
            return Response({"detail": "The translation is not ready.", "code": "not_ready"},
                            status=status.HTTP_409_CONFLICT)
        return FileResponse(task.result.open("rb"), as_attachment=True, filename=task.result_filename)
