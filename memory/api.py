"""API for the user's translation memory and glossaries."""
from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from memory import services
from memory.models import Glossary, MemoryEntry


class MemoryApi(APIView):
    api_key_scope = "glossaries"  # what an API key's writes here need (accounts/scopes.py)

    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"segments": MemoryEntry.objects.filter(user=request.user).count()})

    def delete(self, request):  # type: ignore[no-untyped-def]
        return Response({"deleted": services.clear_memory(user_id=request.user.pk)})


class GlossarySerializer(serializers.ModelSerializer):
    terms = serializers.IntegerField(source="terms.count", read_only=True)

    class Meta:
        model = Glossary
        fields = ["id", "name", "source_lang", "target_lang", "terms", "created_at"]


class GlossaryListCreateApi(APIView):
    api_key_scope = "glossaries"  # what an API key's writes here need (accounts/scopes.py)
    parser_classes = [MultiPartParser, FormParser]

    def get(self, request):  # type: ignore[no-untyped-def]
        return Response(GlossarySerializer(Glossary.objects.filter(user=request.user), many=True).data)

    def post(self, request):  # type: ignore[no-untyped-def]
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"detail": "Send the glossary as a CSV file (source term, target term).",
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

    def delete(self, request, glossary_id: int):  # type: ignore[no-untyped-def]
        if not services.delete_glossary(user_id=request.user.pk, glossary_id=glossary_id):
            return Response({"detail": "No such glossary.", "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
