"""The job page: every document × language with live progress, cancel and retry per task and for
the whole job, and "download all". Plain form posts (it works without JavaScript, refreshing while
the job runs); static/zhiyi/job.js follows the job's one stream on top."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from credits.services import InsufficientCredits
from jobs import services
from jobs.events import ENDED
from jobs.models import Job
from jobs.selectors import job_tasks, summarize
from tasks import services as task_services
from tasks.errors import TaskError


def _own_job(request: HttpRequest, job_id: int) -> Job:
    return get_object_or_404(Job, pk=job_id, user=request.user)


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    summary = summarize(job)
    tasks = list(job_tasks(job))
    return render(request, "jobs/detail.html", {
        "job": job, "summary": summary, "tasks": tasks, "ended": summary.status in ENDED,
        "cost": sum(t.cost for t in tasks), "has_failed": summary.counts["failed"] > 0,
    })


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = [(job, summarize(job)) for job in Job.objects.filter(user=request.user)[:50]]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    report = services.cancel_job(job_id=job.pk, actor=f"user:{request.user.pk}")
    count = len(report.done)
    messages.success(request, ngettext("%(n)d task was cancelled and refunded.",
                                       "%(n)d tasks were cancelled and refunded.", count) % {"n": count})
    return redirect("job-detail", job_id=job.pk)


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    report = services.retry_job(job_id=job.pk, actor=f"user:{request.user.pk}")
    count = len(report.done)
    messages.success(request, ngettext("%(n)d task was queued again.", "%(n)d tasks were queued again.", count)
                     % {"n": count})
    if report.refused:
        messages.error(request, ngettext("%(n)d task could not be retried (not enough credits?).",
                                         "%(n)d tasks could not be retried (not enough credits?).",
                                         len(report.refused)) % {"n": len(report.refused)})
    return redirect("job-detail", job_id=job.pk)


@login_required
@require_POST
def job_task_action(request: HttpRequest, job_id: int, task_id: int, action: str) -> HttpResponse:
    """Cancel or retry one task of the job, then back to the job page."""
    job = _own_job(request, job_id)
    task = get_object_or_404(job_tasks(job), pk=task_id)
    try:
        if action == "cancel":
            task_services.cancel_task(task_id=task.pk, actor=f"user:{request.user.pk}")
            messages.success(request, _("The task was cancelled and its points refunded."))
        else:
            task_services.retry_task(task_id=task.pk, actor=f"user:{request.user.pk}")
            messages.success(request, _("The task was queued again."))
    except InsufficientCredits as exc:
        messages.error(request, _("Not enough credits: this needs %(cost)s points and your balance is %(balance)s.")
                       % {"cost": exc.cost, "balance": exc.balance})
    except TaskError:
        messages.error(request, _("This task cannot do that in its current state."))
    return redirect("job-detail", job_id=job.pk)
