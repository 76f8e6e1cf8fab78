"""Reads of jobs: a job's summary (counts per status, progress, money) in two queries."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum

from credits.models import Reservation
from jobs.models import Job, job_status
from tasks.models import ProcessingTask, Status


@dataclass(frozen=True)
class JobSummary:
    status: str
    counts: dict[str, int]
    total: int
    progress: int  # percent, every task weighing the same
    characters: int
    reserved: int  # points still held by unfinished tasks
    charged: int
    refunded: int
    version: int  # the sum of the tasks' versions: grows with every change of any of them


def job_tasks(job: Job):  # type: ignore[no-untyped-def]
    return ProcessingTask.objects.filter(job_link__job=job).select_related("job_link").order_by(
        "job_link__document", "target_lang", "id")


def summarize(job: Job) -> JobSummary:
    tasks = ProcessingTask.objects.filter(job_link__job=job)
    rows = tasks.values("status").annotate(n=Count("id"), progress=Sum("progress"), characters=Sum("characters"),
                                           version=Sum("version"))
    counts: Counter = Counter()
    progress_points = characters = version = 0
    for row in rows:
        counts[row["status"]] = row["n"]
        characters += row["characters"] or 0
        version += row["version"] or 0
        ended = row["status"] in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
        progress_points += 100 * row["n"] if ended else (row["progress"] or 0)
    total = sum(counts.values())
    money = Reservation.objects.filter(task_ref__in=tasks.values("pk")).values("state").annotate(
        amount=Sum("amount"), charged=Sum("charged"))
    reserved = charged = refunded = 0
    for row in money:
        if row["state"] == Reservation.State.RESERVED:
            reserved += row["amount"] or 0
        elif row["state"] == Reservation.State.SETTLED:
            charged += row["charged"] or 0
            refunded += (row["amount"] or 0) - (row["charged"] or 0)
        elif row["state"] == Reservation.State.REFUNDED:
            refunded += row["amount"] or 0
    return JobSummary(status=job_status(counts), counts={s: counts[s] for s in Status.values}, total=total,
                      progress=progress_points // total if total else 0, characters=characters,
                      reserved=reserved, charged=charged, refunded=refunded, version=version)
