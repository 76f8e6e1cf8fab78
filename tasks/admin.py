"""Staff views of tasks and webhook deliveries. Everything that services own (status, money,
files) is read-only here; the actions call tasks.services, so a staff retry reserves again and
a staff cancel refunds exactly as a user's would, and each task's outcome is reported."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from credits.services import CreditError
from lib.admin import ReadOnlyMixin
from tasks import services
from tasks.errors import TaskError
from tasks.models import ProcessingTask, TaskEvent, WebhookDelivery
from tasks.templatetags.task_ui import status_label


class TaskEventInline(ReadOnlyMixin, admin.TabularInline):
    model = TaskEvent
    fields = ["created_at", "status_shown", "actor", "message"]
    readonly_fields = fields
    extra = 0
    verbose_name = "event"
    verbose_name_plural = "history (every change, who made it)"

    @admin.display(description="status")
    def status_shown(self, event: TaskEvent) -> str:
        return status_label(event.status)


def _staff_actor(request: HttpRequest) -> str:
    return f"staff:{request.user.get_username()}"


def _run_each(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ProcessingTask],
              verb: str, action: Callable[[int], str | None]) -> None:
    """Run `action` on every selected task on its own (one task's refusal does not stop the
    others) and report per task: the ones that worked in one message, each refusal with its reason."""
    done: list[str] = []
    for task_id in queryset.order_by("pk").values_list("pk", flat=True):
        try:
            refusal = action(task_id)
        except (TaskError, CreditError) as exc:
            refusal = str(exc)
        except ProcessingTask.DoesNotExist:
            refusal = "it no longer exists"
        if refusal:
            modeladmin.message_user(request, f"Task #{task_id}: not {verb}: {refusal}", messages.WARNING)
        else:
            done.append(f"#{task_id}")
    if done:
        modeladmin.message_user(request, f"{verb.capitalize()}: {', '.join(done)}", messages.SUCCESS)


@admin.register(ProcessingTask)
class ProcessingTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "filename", "status_shown", "progress", "user", "engine", "languages", "characters",
                    "cost", "charged", "attempt", "created_at", "duration"]
    list_filter = ["status", "engine", "format", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "filename", "user__username", "user__email", "external_id"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    inlines = [TaskEventInline]
    actions = ["retry_tasks", "cancel_tasks", "fail_and_refund_tasks", "delete_tasks_with_files"]
    readonly_fields = [
        "user", "status", "progress", "message", "version", "attempt", "heartbeat_at", "engine", "source_lang",
        "target_lang", "format", "options", "original", "filename", "size", "result", "characters", "cost",
        "charged", "error", "external_id", "deadline_at", "idempotency_key", "created_at", "updated_at",
        "started_at", "finished_at",
    ]
    # What memory and the glossary did, recorded by the worker's run (saved by tasks.services.complete_task).
    readonly_fields += ["segments", "memory_segments", "glossary_terms"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Plain deletion would skip the state check and leave the files: use the action.
        return False

    @admin.display(description="status", ordering="status")
    def status_shown(self, task: ProcessingTask) -> str:
        return status_label(task.status)

    @admin.display(description="languages")
    def languages(self, task: ProcessingTask) -> str:
        return f"{task.source_lang} → {task.target_lang}"

    @admin.display(description="duration")
    def duration(self, task: ProcessingTask) -> str:
        if not task.started_at or not task.finished_at:
            return "—"
        return f"{(task.finished_at - task.started_at).total_seconds():.1f} s"

    @admin.action(description="Retry (reserves the cost again)", permissions=["change"])
    def retry_tasks(self, request: HttpRequest, queryset: QuerySet[ProcessingTask]) -> None:
        actor = _staff_actor(request)
        _run_each(self, request, queryset, "retried",
                  lambda task_id: services.retry_task(task_id=task_id, actor=actor) and None)

    @admin.action(description="Cancel (refunds the reservation)", permissions=["change"])
    def cancel_tasks(self, request: HttpRequest, queryset: QuerySet[ProcessingTask]) -> None:
        actor = _staff_actor(request)
        _run_each(self, request, queryset, "cancelled",
                  lambda task_id: services.cancel_task(task_id=task_id, actor=actor) and None)

    @admin.action(description="Fail and refund", permissions=["change"])
    def fail_and_refund_tasks(self, request: HttpRequest, queryset: QuerySet[ProcessingTask]) -> None:
        actor = _staff_actor(request)

        def fail(task_id: int) -> str | None:
            failed = services.fail_task(task_id=task_id, actor=actor, error=gettext_lazy("Stopped by staff"))
            return None if failed else "it has already ended"

        _run_each(self, request, queryset, "failed and refunded", fail)

    @admin.action(description="Delete with files (ended tasks only)", permissions=["change"])
    def delete_tasks_with_files(self, request: HttpRequest,
                                queryset: QuerySet[ProcessingTask]) -> HttpResponse | None:
        """First a page that lists what goes (rows, originals, results), then the deletion."""
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/tasks/confirm_delete_with_files.html", {
                **self.admin_site.each_context(request), "title": "Delete these tasks and their files?",
                "tasks": queryset.order_by("pk"), "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            })
        _run_each(self, request, queryset, "deleted", lambda task_id: services.delete_task(task_id=task_id))
        return None

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The detail page is read-only (no Save: a save would bypass the services); "change" on
        # the list means "may run the actions".
        return obj is None and super().has_change_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["webhook_id", "type", "external_id", "task", "outcome", "received_at"]
    list_filter = ["type", "outcome", ("received_at", admin.DateFieldListFilter)]
    search_fields = ["webhook_id", "external_id", "=task__id"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]
    date_hierarchy = "received_at"
