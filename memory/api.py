"""API for the user's translation memory and glossaries."""
from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import authenticated_errors, message
from memory import services
from memory.models import Glossary, MemoryEntry


class MemoryApi(APIView):
    api_key_scope = "glossaries"  # what an API key's writes here need (accounts/scopes.py)
    @extend_schema(operation_id="memory_retrieve",
                   responses={200: message("MemorySummary", segments=serializers.IntegerField(
                       help_text="translated segments your memory holds")), **authenticated_errors()},
                   description="Your translation memory: segments already translated are not paid for again.")
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"segments": MemoryEntry.objects.filter(user=request.user).count()})

    @extend_schema(operation_id="memory_clear",
                   responses={200: message("MemoryCleared", deleted=serializers.IntegerField()),
                              **authenticated_errors()},
                   description="Forget every segment of your translation memory.")
    def delete(self, request):  # type: ignore[no-untyped-def]
        return Response({"deleted": services.clear_memory(user_id=request.user.pk)})


class GlossarySerializer(serializers.ModelSerializer):
    terms = serializers.IntegerField(source="terms.count", read_only=True)

    class Meta:
        model = Glossary
        fields = ["id", "name", "source_lang", "target_lang", "terms", "created_at"]


class GlossaryUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8: one `source term,target term` per line")
    name = serializers.CharField(required=False, help_text="default: the file name")
    source_lang = serializers.CharField(required=False, allow_blank=True)
    target_lang = serializers.CharField(required=False, allow_blank=True)


class GlossaryListCreateApi(ListAPIView):
    api_key_scope = "glossaries"  # what an API key's writes here need (accounts/scopes.py)
    serializer_class = GlossarySerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Glossary.objects.filter(user=self.request.user).prefetch_related("terms").order_by("-id")

    @extend_schema(operation_id="glossaries_list", responses={200: GlossarySerializer(many=True),
                                                              **authenticated_errors()})
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="glossaries_create", request=GlossaryUploadSerializer,
                   responses={201: GlossarySerializer,
                              **authenticated_errors("no_file", "invalid_glossary", "file_too_large",
                                                     "unsupported_media_type")},
                   description="Upload a glossary; a task names it with `glossary=<id>`. Glossaries do not change "
                               "once uploaded: upload a new one and delete the old.")
    def post(self, request):  # type: ignore[no-untyped-def]
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"detail": _("Send the glossary as a CSV file (source term, target term)."),
                             "code": "no_file"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            services.check_glossary_size(upload.size)
        except services.GlossaryError as exc:
            return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            glossary = services.create_glossary(
                user_id=request.user.pk, name=request.data.get("name") or upload.name, data=upload.read(),
                source_lang=request.data.get("source_lang", ""), target_lang=request.data.get("target_lang", ""))
        except services.GlossaryError as exc:
            return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
        return Response(GlossarySerializer(glossary).data, status=status.HTTP_201_CREATED)


class GlossaryDetailApi(APIView):
    api_key_scope = "glossaries"  # what an API key's writes here need (accounts/scopes.py)
    @extend_schema(operation_id="glossaries_destroy",
                   responses={204: OpenApiResponse(description="deleted"), **authenticated_errors("not_found")})
    def delete(self, request, glossary_id: int):  # type: ignore[no-untyped-def]
        if not services.delete_glossary(user_id=request.user.pk, glossary_id=glossary_id):
            return Response({"detail": _("No such glossary."), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
