"""Shapes of the tasks API (and of the `status` stream event, for the schema)."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from tasks.models import ProcessingTask, Status
from tasks.webhooks.receive import EVENT_TYPES


class TaskOptionsSerializer(serializers.Serializer):
    """The per-task choices, read the same way from the API and from the upload form."""

    bilingual = serializers.BooleanField(required=False, default=False)
    glossary = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    formality = serializers.ChoiceField(required=False, allow_blank=True,
                                        choices=["default", "more", "less", "prefer_more", "prefer_less"])
    output_format = serializers.CharField(required=False, allow_blank=True, max_length=10)

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
        if data.get("output_format"):
            options["output_format"] = data["output_format"].lower().lstrip(".")
        return options


class TaskInputSerializer(TaskOptionsSerializer):
    # Optional here so that a missing file is the service's `no_file` error; the schema says
    # required (TaskUploadSerializer).
    file = serializers.FileField(required=False, allow_empty_file=True)
    engine = serializers.CharField(max_length=32, help_text="an engine's `name` from GET /api/v1/engines/")
    source_lang = serializers.CharField(max_length=20, help_text="BCP 47 tag, e.g. `en`, `zh-Hans`")
    target_lang = serializers.CharField(max_length=20, help_text="BCP 47 tag, e.g. `es`, `zh-Hant`")


class TaskUploadSerializer(TaskInputSerializer):
    """The multipart body of a quote or a new task, as documented."""

    file = serializers.FileField(help_text="the document: txt, md, html, docx, xlsx, pptx, srt, vtt, po, "
                                 "pdf, or a scan (png, jpg, tiff: read by OCR)")
    bilingual = serializers.BooleanField(required=False, default=False,
                                         help_text="keep the source beside the translation")
    glossary = serializers.IntegerField(required=False, min_value=1,
                                        help_text="id of one of your glossaries whose terms the engine must use")
    formality = serializers.ChoiceField(required=False, choices=["default", "more", "less", "prefer_more",
                                                                 "prefer_less"],
                                        help_text="for engines that have a formal register (DeepL)")
    output_format = serializers.CharField(required=False, max_length=10,
                                          help_text="the extension of the output wanted, among the format's "
                                          "`outputs` (GET /api/v1/formats/); empty: its default (a PDF is "
                                          "delivered as `pdf`, or as `docx` on request)")


class QuoteSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="the detected document format (`txt`, `docx`, ...)")
    characters = serializers.IntegerField(help_text="billable characters in the document")
    segments = serializers.IntegerField()
    memory_characters = serializers.IntegerField(help_text="of `characters`, found in your translation memory")
    billed_characters = serializers.IntegerField(help_text="what the engine is paid for")
    cost = serializers.IntegerField(help_text="points a task for this document reserves")
    rate_per_1000 = serializers.IntegerField(help_text="the engine's price: points per 1,000 billed characters")
    memory_points = serializers.IntegerField(help_text="points your translation memory saves: what the same "
                                             "document would cost without it, less `cost`")
    balance = serializers.IntegerField(help_text="your balance now")
    balance_after = serializers.IntegerField(help_text="`balance` − `cost` (negative: not enough credits)")
    layout_note = serializers.CharField(allow_blank=True, help_text="what the output keeps or not (PDF)")
    output_format = serializers.CharField(help_text="the extension of what will be delivered")


class EngineSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    available = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, help_text="why it is not available")
    rate_per_1000 = serializers.IntegerField(help_text="points per 1,000 billed characters")
    asynchronous = serializers.BooleanField(help_text="finishes through the webhook of an external service")
    pairs = serializers.ListField(child=serializers.ListField(child=serializers.CharField(), min_length=2,
                                                              max_length=2),
                                  help_text="[source, target] language pairs (empty when not available)")


class TaskOutputSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True, help_text="what the task says about itself, in the "
                                    "request's language")
    result_url = serializers.SerializerMethodField()
    stream_url = serializers.SerializerMethodField()
    # Declared, not derived from the model: the model's ranges depend on the database backend,
    # and the schema must not.
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100, help_text="percent done")
    version = serializers.IntegerField(read_only=True, help_text="bumped by every change (the stream event id)")
    attempt = serializers.IntegerField(read_only=True, help_text="worker runs in the current round")
    size = serializers.IntegerField(read_only=True, help_text="bytes of the uploaded document")
    characters = serializers.IntegerField(read_only=True, help_text="billable characters of the document")
    cost = serializers.IntegerField(read_only=True, help_text="points reserved for the current round")
    charged = serializers.IntegerField(read_only=True, help_text="points finally charged")
    error = serializers.CharField(source="error_text", read_only=True,
                                  help_text="why it failed, in the request's language (empty unless failed)")

    class Meta:
        model = ProcessingTask
        fields = ["id", "status", "progress", "message", "engine", "source_lang", "target_lang", "format",
                  "filename", "size", "characters", "cost", "charged", "result_url", "error", "version",
                  "attempt", "created_at", "updated_at", "started_at", "finished_at", "stream_url"]

    def get_result_url(self, task: ProcessingTask) -> str | None:
        return reverse("api-task-result", args=[task.pk]) if task.status == "completed" and task.result else None

    def get_stream_url(self, task: ProcessingTask) -> str:
        return f"/sse/tasks/{task.pk}/"


class TaskStatusEventSerializer(serializers.Serializer):
    """The data of a `status` event on /sse/tasks/ and /sse/tasks/{id}/ (tasks/events.py)."""

    taskId = serializers.IntegerField()  # noqa: N815 — the event's public field names
    status = serializers.ChoiceField(choices=Status.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField(help_text="in the language of the stream request")
    messageCode = serializers.CharField(help_text="the message as a code (tasks/messages.py)")  # noqa: N815
    messageParams = serializers.DictField(help_text="the code's parameters")  # noqa: N815
    version = serializers.IntegerField(help_text="bumped by every change; also the SSE `id:`")
    resultUrl = serializers.CharField(allow_null=True, help_text="where to download, once completed")  # noqa: N815
    error = serializers.CharField(allow_null=True)


class WebhookEventDataSerializer(serializers.Serializer):
    external_task_id = serializers.CharField(help_text="the `id` the service answered the submission with")
    progress = serializers.IntegerField(required=False, min_value=0, max_value=100, help_text="task.progress")
    message = serializers.CharField(required=False, help_text="task.progress: a free text shown to the user")
    result_url = serializers.URLField(required=False, help_text="task.completed: where to download the result")
    result_base64 = serializers.CharField(required=False, help_text="task.completed: or the result inline")
    characters = serializers.IntegerField(required=False, min_value=0,
                                          help_text="task.completed: characters translated (capped at the quote)")
    error = serializers.CharField(required=False, help_text="task.failed: why")


class WebhookEventSerializer(serializers.Serializer):
    """What an external engine sends to the webhook (tasks/webhooks/receive.py)."""

    type = serializers.ChoiceField(choices=EVENT_TYPES)
    data = WebhookEventDataSerializer()


class WebhookAnswerSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="`applied`, `ignored` (the task had ended), `result_refused`, "
                                             "or `duplicate` (this webhook-id was seen before)")
    task = serializers.IntegerField(required=False)
    outcome = serializers.CharField(required=False, help_text="with `duplicate`: the first delivery's outcome")
    detail = serializers.CharField(required=False)
