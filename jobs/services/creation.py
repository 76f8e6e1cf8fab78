"""Creating a job, all or nothing: the plan (every document priced, every refusal collected)
first, outside any transaction; then tasks.services.create_tasks saves every task, reserves the
whole cost and writes the job's rows in ONE transaction. Refused documents: 400 naming each; the
balance short: 402 with the total; either way no row, no reservation, no file remains."""
from __future__ import annotations

import hashlib
import json
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils.translation import gettext as _

from jobs.models import Job, JobTask
from jobs.services.planning import plan_job, refuse_if_any, unique_targets
from tasks import services
from tasks.errors import IdempotencyKeyReused
from tasks.models import ProcessingTask

logger = logging.getLogger("zhiyi.jobs")


def create_job(*, user_id: int, uploads: list[UploadedFile], engine_name: str, source_lang: str,
               target_langs: list[str], options: dict | None = None, idempotency_key: str | None = None,
               paths: list[str] | None = None) -> Job:
    """One task per document × target language, the total reserved at once. With an
    idempotency key, the same request again answers the first job (`replayed`)."""
    options = options or {}
    digest = ""
    if idempotency_key:
        digest = _request_digest(uploads, engine_name=engine_name, source_lang=source_lang,
                                 target_langs=unique_targets(target_langs), options={**options, "paths": paths or []})
        existing = _replay(user_id=user_id, idempotency_key=idempotency_key, digest=digest)
        if existing is not None:
            return existing
    plan = plan_job(user_id=user_id, uploads=uploads, engine_name=engine_name, source_lang=source_lang,
                    target_langs=target_langs, options=options, paths=paths)
    refuse_if_any(plan)
    job = Job(user_id=user_id, engine=engine_name, source_lang=source_lang, target_langs=plan.target_langs,
              options=options, documents=len(plan.documents), idempotency_key=idempotency_key or None,
              request_digest=digest)

    def write_job(tasks: list[ProcessingTask]) -> None:  # inside the tasks' transaction
        job.save()
        JobTask.objects.bulk_create(JobTask(job=job, task=task, path=planned.upload.path, document=planned.document)
                                    for task, planned in zip(tasks, plan.tasks))

    new_tasks = [services.NewTask(filename=p.upload.filename, data=p.upload.data, quote=p.quote,
                                  engine_name=engine_name, source_lang=p.source_lang, target_lang=p.target_lang,
                                  options=options) for p in plan.tasks]
    try:
        services.create_tasks(user_id=user_id, new_tasks=new_tasks, within=write_job)
    except IntegrityError:
        if idempotency_key:  # the same request raced us: answer the first one's job (or 422)
            existing = _replay(user_id=user_id, idempotency_key=idempotency_key, digest=digest)
            if existing is not None:
                return existing
        raise
    logger.info("job created", extra={"job_id": job.pk, "user_id": user_id, "tasks": len(new_tasks),
                                      "cost": plan.cost})
    return job


def _request_digest(uploads: list[UploadedFile], *, engine_name: str, source_lang: str, target_langs: list[str],
                    options: dict) -> str:
    params = json.dumps({"engine": engine_name, "source_lang": source_lang, "target_langs": target_langs,
                         "options": options}, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(params.encode())
    for upload in uploads:
        content = hashlib.sha256()
        for chunk in upload.chunks():
            content.update(chunk)
        upload.seek(0)
        digest.update(b"\0" + (upload.name or "").encode() + b"\0" + content.digest())
    return digest.hexdigest()


def _replay(*, user_id: int, idempotency_key: str, digest: str) -> Job | None:
    existing = Job.objects.filter(user_id=user_id, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.request_digest != digest:
        raise IdempotencyKeyReused(_("This Idempotency-Key was already used with a different request."))
    existing.replayed = True  # type: ignore[attr-defined]
    return existing
