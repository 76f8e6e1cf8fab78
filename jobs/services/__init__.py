"""Every write of the jobs app: `planning` (what a job's documents cost, per document and
language), `creation` (all or nothing), `lifecycle` (cancel, retry, delete: each acts on the
job's tasks through tasks.services). Import from here."""
from __future__ import annotations

from jobs.services.creation import create_job
from jobs.services.lifecycle import cancel_job, delete_job, retry_job
from jobs.services.planning import JobPlan, PlannedTask, plan_job

__all__ = ["JobPlan", "PlannedTask", "cancel_job", "create_job", "delete_job", "plan_job", "retry_job"]
