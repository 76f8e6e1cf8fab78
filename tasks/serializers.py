from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from tasks.models import ProcessingTask


class TaskOptionsSerializer(serializers.Serializer):
    """The per-task choices, read the same way from the API and from the upload form."""

    bilingual = serializers.BooleanField(required=False, default=False)
    glossary = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    formality = serializers.ChoiceField(required=False, allow_blank=True,
                                        choices=["default", "more", "less", "prefer_more", "prefer_less"])

    def task_options(self) -> dict:
        """The per-task choices stored in ProcessingTask.options."""
        data = self.validated_data
        options: dict = {}
        if data.get("bilingual"):
            options["bilingual"] = True
        if data.get("glossary"):
            options["glossary_id"] = data["glossary"]
        if data.get("formality") and data["formality"] != "default":
            options["formality"] = data["formality"]
        return options


class TaskInputSerializer(TaskOptionsSerializer):
    file = serializers.FileField(required=False, allow_empty_file=True)
    engine = serializers.CharField(max_length=32)
    source_lang = serializers.CharField(max_length=20)
    target_lang = serializers.CharField(max_length=20)


class TaskOutputSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True, help_text="what the task says about itself, in the "
                                    "request's language")
    result_url = serializers.SerializerMethodField()
    stream_url = serializers.SerializerMethodField()

    class Meta:
        model = ProcessingTask
        fields = ["id", "status", "progress", "message", "engine", "source_lang", "target_lang", "format",
                  "filename", "size", "characters", "cost", "charged", "result_url", "error", "version",
                  "attempt", "created_at", "updated_at", "started_at", "finished_at", "stream_url"]

    def get_result_url(self, task: ProcessingTask) -> str | None:
        return reverse("api-task-result", args=[task.pk]) if task.status == "completed" and task.result else None

    def get_stream_url(self, task: ProcessingTask) -> str:
        return f"/sse/tasks/{task.pk}/"
