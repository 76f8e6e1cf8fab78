from django.urls import path

from memory.api import GlossaryDetailApi, GlossaryListCreateApi, MemoryApi

urlpatterns = [
    path("memory/", MemoryApi.as_view(), name="api-memory"),
    path("glossaries/", GlossaryListCreateApi.as_view(), name="api-glossaries"),
    path("glossaries/<int:glossary_id>/", GlossaryDetailApi.as_view(), name="api-glossary-detail"),
]
