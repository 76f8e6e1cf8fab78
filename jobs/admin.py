"""Staff views of jobs with their tasks. Status and money are derived (read-only); the actions
call jobs.services, which act on each task through tasks.services (a staff cancel refunds exactly
as a user's would), and report per job."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from jobs import services
from jobs.models import Job, JobTask
from jobs.selectors import summarize
from jobs.services.lifecycle import JobActionReport
from lib.admin import ReadOnlyMixin
from tasks.errors import TaskError


class JobTaskInline(ReadOnlyMixin, admin.TabularInline):
    model = JobTask
    fields = ["task", "path", "target_lang", "status", "cost", "charged"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[JobTask]:
        return super().get_queryset(request).select_related("task")

    @admin.display(description="target")
    def target_lang(self, link: JobTask) -> str:
        return link.task.target_lang

    @admin.display(description="status")
    def status(self, link: JobTask) -> str:
        return link.task.status

    @admin.display(description="cost")
    def cost(self, link: JobTask) -> int:
        return link.task.cost

    @admin.display(description="charged")
    def charged(self, link: JobTask) -> int:
        return link.task.charged


def _each_job(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Job], verb: str,
              action: Callable[[int], JobActionReport | None]) -> None:
    for job_id in queryset.order_by("pk").values_list("pk", flat=True):
        try:
            report = action(job_id)
        except TaskError as exc:
            modeladmin.message_user(request, f"Job #{job_id}: not {verb}: {exc}", messages.WARNING)
            continue
        done = f"{len(report.done)} task(s)" if report is not None else "whole"
        level = messages.WARNING if report is not None and report.refused else messages.SUCCESS
        refused = f", {len(report.refused)} refused" if report is not None and report.refused else ""
        modeladmin.message_user(request, f"Job #{job_id}: {verb} {done}{refused}", level)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "engine", "languages", "documents", "status", "progress", "created_at"]
    list_filter = ["engine", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    inlines = [JobTaskInline]
    actions = ["cancel_jobs", "retry_jobs", "delete_jobs_with_files"]
    readonly_fields = ["user", "engine", "source_lang", "target_langs", "options", "documents", "idempotency_key",
                       "created_at", "status", "progress", "money"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # plain deletion would skip the tasks' state checks and leave files: use the action

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)  # "change" = may run the actions

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="languages")
    def languages(self, job: Job) -> str:
        return f"{job.source_lang} → {', '.join(job.target_langs)}"

    @admin.display(description="status")
    def status(self, job: Job) -> str:
        return summarize(job).status

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        return f"{summarize(job).progress}%"

    @admin.display(description="points")
    def money(self, job: Job) -> str:
        s = summarize(job)
        return f"reserved {s.reserved}, charged {s.charged}, refunded {s.refunded}"

    @admin.action(description="Cancel every unfinished task (refunds)", permissions=["change"])
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        actor = f"staff:{request.user.get_username()}"
        _each_job(self, request, queryset, "cancelled", lambda pk: services.cancel_job(job_id=pk, actor=actor))

    @admin.action(description="Retry the failed tasks (reserves again)", permissions=["change"])
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        actor = f"staff:{request.user.get_username()}"
        _each_job(self, request, queryset, "retried", lambda pk: services.retry_job(job_id=pk, actor=actor))

    @admin.action(description="Delete with tasks and files (ended jobs only)", permissions=["change"])
    def delete_jobs_with_files(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        _each_job(self, request, queryset, "deleted", lambda pk: services.delete_job(job_id=pk))
