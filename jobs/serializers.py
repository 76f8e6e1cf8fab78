"""Shapes of the jobs API (and of the `job` stream event, for the schema)."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from jobs.models import Job, JobStatus
from jobs.selectors import JobSummary
from tasks.models import ProcessingTask, Status
from tasks.serializers import TaskOptionsSerializer, TaskUploadSerializer

FILES_HELP = ("one or more documents (txt, md, html, docx, xlsx, pptx, srt, vtt, po, pdf); a `.zip` is opened and "
              "each document in it becomes part of the job, its folders kept as path prefixes")
TARGETS_HELP = "one or more BCP 47 tags (repeat the field, or separate them with commas)"


class TargetLangsField(serializers.ListField):
    """Repeated multipart fields, each of which may also hold a comma-separated list."""

    def to_internal_value(self, data):  # type: ignore[no-untyped-def]
        values = super().to_internal_value(data)
        return list(dict.fromkeys(t.strip() for value in values for t in value.split(",") if t.strip()))


class JobInputSerializer(TaskOptionsSerializer):
    # Optional here so that missing files are the service's `no_file` error; JobUploadSerializer
    # documents them as required.
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)
    engine = serializers.CharField(max_length=32, help_text="an engine's `name` from GET /api/v1/engines/")
    source_lang = serializers.CharField(max_length=20, help_text="BCP 47 tag, e.g. `en`, `zh-Hans`, or `auto`: "
                                                                 "detected per document")
    target_langs = TargetLangsField(child=serializers.CharField(max_length=200), min_length=1, help_text=TARGETS_HELP)
    paths = serializers.ListField(child=serializers.CharField(max_length=500, allow_blank=True), required=False,
                                  help_text="optional, one per file in `files` order: its path in a dropped folder "
                                            "(`docs/en/a.txt`); the folder is kept like a zip's")


class JobUploadSerializer(JobInputSerializer):
    """The multipart body of a new job, as documented."""

    files = serializers.ListField(child=serializers.FileField(), min_length=1, help_text=FILES_HELP)
    bilingual = serializers.BooleanField(required=False, default=False, help_text="keep the source beside the "
                                                                                  "translation")
    glossary = serializers.IntegerField(required=False, min_value=1,
                                        help_text="id of one of your glossaries whose terms the engine must use")
    formality = serializers.ChoiceField(required=False, choices=["default", "more", "less", "prefer_more",
                                                                 "prefer_less"],
                                        help_text="for engines that have a formal register (DeepL)")
    output_format = serializers.CharField(required=False, max_length=10,
                                          help_text="the extension of the output wanted for every document whose "
                                          "format offers it (GET /api/v1/formats/); empty: each format's default")


class QuoteUploadSerializer(TaskUploadSerializer):
    """The body of a quote: one document for one language (`file`, `target_lang`), or a job's
    documents and languages (`files`, `target_langs`)."""

    file = serializers.FileField(required=False, help_text="one document (with `target_lang`)")
    target_lang = serializers.CharField(max_length=20, required=False, help_text="with `file`: a BCP 47 tag")
    files = serializers.ListField(child=serializers.FileField(), required=False, help_text=FILES_HELP)
    target_langs = TargetLangsField(child=serializers.CharField(max_length=200), required=False,
                                    help_text=TARGETS_HELP)
    paths = serializers.ListField(child=serializers.CharField(max_length=500, allow_blank=True), required=False,
                                  help_text="with `files`: each file's path in a dropped folder")


class JobTaskSerializer(serializers.ModelSerializer):
    path = serializers.SerializerMethodField(help_text="the document's folder inside the job ('' or 'a/b/')")
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100, help_text="percent done")
    characters = serializers.IntegerField(read_only=True, help_text="billable characters of the document")
    cost = serializers.IntegerField(read_only=True, help_text="points reserved for the current round")
    charged = serializers.IntegerField(read_only=True, help_text="points finally charged")
    url = serializers.SerializerMethodField(help_text="the task in the API")
    error = serializers.CharField(source="error_text", read_only=True,
                                  help_text="why it failed, in the request's language (empty unless failed)")
    stream_url = serializers.SerializerMethodField()

    class Meta:
        model = ProcessingTask
        fields = ["id", "filename", "path", "target_lang", "status", "progress", "format", "characters", "cost",
                  "charged", "error", "url", "stream_url"]

    def get_path(self, task: ProcessingTask) -> str:
        return task.job_link.path

    def get_url(self, task: ProcessingTask) -> str:
        return reverse("api-task-detail", args=[task.pk])

    def get_stream_url(self, task: ProcessingTask) -> str:
        return f"/sse/tasks/{task.pk}/"


class JobCountsSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    processing = serializers.IntegerField()
    waiting_external = serializers.IntegerField()
    completed = serializers.IntegerField()
    failed = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class JobSerializer(serializers.Serializer):
    """A job with its summary (`summary` in the context: jobs.selectors.summarize)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=JobStatus.choices, help_text="derived from its tasks")
    engine = serializers.CharField()
    source_lang = serializers.CharField()
    target_langs = serializers.ListField(child=serializers.CharField())
    documents = serializers.IntegerField(help_text="documents in the job (a zip's documents counted one by one)")
    tasks_total = serializers.IntegerField(help_text="documents × target languages")
    counts = JobCountsSerializer(help_text="tasks per status")
    progress = serializers.IntegerField(min_value=0, max_value=100, help_text="percent done over all tasks")
    characters = serializers.IntegerField(help_text="billable characters over all tasks")
    cost = serializers.IntegerField(help_text="points reserved by the tasks' current rounds (the quote's total)")
    reserved = serializers.IntegerField(help_text="points still held by unfinished tasks")
    charged = serializers.IntegerField(help_text="points charged for completed tasks")
    refunded = serializers.IntegerField(help_text="points given back (failed, cancelled, or unused)")
    created_at = serializers.DateTimeField()
    url = serializers.CharField()
    stream_url = serializers.CharField()
    result_url = serializers.CharField(allow_null=True, help_text="the zip of what is done, once a task completed")


class JobDetailSerializer(JobSerializer):
    tasks = JobTaskSerializer(many=True, help_text="one per document × target language")


def job_data(job: Job, summary: JobSummary, *, cost: int, tasks: list[ProcessingTask] | None = None) -> dict:
    data = {
        "id": job.pk, "status": summary.status, "engine": job.engine, "source_lang": job.source_lang,
        "target_langs": job.target_langs, "documents": job.documents, "tasks_total": summary.total,
        "counts": summary.counts, "progress": summary.progress, "characters": summary.characters, "cost": cost,
        "reserved": summary.reserved, "charged": summary.charged, "refunded": summary.refunded,
        "created_at": job.created_at, "url": reverse("api-job-detail", args=[job.pk]),
        "stream_url": f"/sse/jobs/{job.pk}/",
        "result_url": reverse("api-job-result", args=[job.pk]) if summary.counts[Status.COMPLETED] else None,
    }
    if tasks is not None:
        data["tasks"] = tasks
    return data


class JobActionSerializer(serializers.Serializer):
    job = JobSerializer()
    done = serializers.ListField(child=serializers.IntegerField(), help_text="ids of the tasks acted on")
    refused = serializers.ListField(child=serializers.DictField(), help_text="tasks refused: `task`, `code`, "
                                                                             "`detail`")


class QuoteLineSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="the document's path inside the job")
    source_lang = serializers.CharField(help_text="as asked, or as detected for `source_lang=auto`")
    confidence = serializers.FloatField(allow_null=True, help_text="with `auto`: how sure the detection is (0–1)")
    target_lang = serializers.CharField()
    format = serializers.CharField()
    characters = serializers.IntegerField()
    segments = serializers.IntegerField()
    memory_characters = serializers.IntegerField(help_text="of `characters`, found in your translation memory "
                                                           "(or in an identical document earlier in the request)")
    billed_characters = serializers.IntegerField()
    cost = serializers.IntegerField()
    rate_per_1000 = serializers.IntegerField(help_text="the engine's price: points per 1,000 billed characters")
    memory_points = serializers.IntegerField(help_text="points translation memory saves on this line")
    layout_note = serializers.CharField(allow_blank=True)
    output_format = serializers.CharField(help_text="the extension of what will be delivered")


class MultiQuoteSerializer(serializers.Serializer):
    """A quote. For one document and language, the first fields only (as they always were); for
    a job's documents and languages, those summed over every line (`format` is `mixed` when the
    documents differ), then each line, each refusal and the total."""

    format = serializers.CharField(help_text="the documents' format, or `mixed`")
    characters = serializers.IntegerField()
    segments = serializers.IntegerField()
    memory_characters = serializers.IntegerField()
    billed_characters = serializers.IntegerField()
    cost = serializers.IntegerField(help_text="the total: what a job of these documents reserves")
    rate_per_1000 = serializers.IntegerField(help_text="the engine's price: points per 1,000 billed characters")
    memory_points = serializers.IntegerField(help_text="points your translation memory saves (over every line)")
    total = serializers.IntegerField(required=False, help_text="a job's quote: the same as `cost`")
    balance = serializers.IntegerField()
    balance_after = serializers.IntegerField(help_text="`balance` − `total` (negative: not enough credits)")
    layout_note = serializers.CharField(allow_blank=True)
    output_format = serializers.CharField(help_text="the extension of what will be delivered, or `mixed`")
    documents = QuoteLineSerializer(many=True, required=False, help_text="a job's quote: one line per document × "
                                                                         "target language")
    refused = serializers.ListField(child=serializers.DictField(), required=False,
                                    help_text="a job's quote: documents that cannot be translated (`name`, "
                                              "`target_lang`, `code`, `detail`): a job of them is refused")


class JobEventSerializer(serializers.Serializer):
    """The data of a `job` event on /sse/jobs/{id}/ (jobs/events.py)."""

    jobId = serializers.IntegerField()  # noqa: N815 — the event's public field names
    status = serializers.ChoiceField(choices=JobStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    total = serializers.IntegerField(help_text="tasks in the job")
    counts = JobCountsSerializer()
    characters = serializers.IntegerField()
    reserved = serializers.IntegerField()
    charged = serializers.IntegerField()
    refunded = serializers.IntegerField()
    version = serializers.IntegerField(help_text="grows with every change of any task; also the SSE `id:`")
    resultUrl = serializers.CharField(allow_null=True, help_text="the zip, once a task completed")  # noqa: N815
