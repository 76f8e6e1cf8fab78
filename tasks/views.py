"""Server-rendered pages. They call the same services as the API."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from credits.selectors import balance_of
from credits.services import InsufficientCredits, get_or_create_account
from tasks import engines, services
from tasks.errors import TaskError
from tasks.models import ProcessingTask


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    get_or_create_account(user_id=request.user.pk)
    if request.method == "POST":
        try:
            task = services.create_task(
                user_id=request.user.pk, upload=request.FILES.get("file"),
                engine_name=request.POST.get("engine", ""), source_lang=request.POST.get("source_lang", ""),
                target_lang=request.POST.get("target_lang", ""),
                idempotency_key=request.POST.get("idempotency_key") or None,
            )
        except (TaskError, InsufficientCredits) as exc:
            messages.error(request, str(exc))
        else:
            return redirect("task-detail", task_id=task.pk)
    return render(request, "tasks/dashboard.html", {
        "balance": balance_of(user_id=request.user.pk),
        "engines": [(e, e.availability()) for e in engines.all_engines()],
        "tasks": ProcessingTask.objects.filter(user=request.user)[:20],
    })


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(ProcessingTask, pk=task_id, user=request.user)
    return render(request, "tasks/detail.html", {"task": task})
