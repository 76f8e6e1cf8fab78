"""A 500-document job against 500 single tasks, created in the same run on the same database:
tasks created per second by `jobs.services.create_job` (everything priced first, one transaction)
and by `tasks.services.create_task` called 500 times; then the books checked (no breach, the
balance moved by exactly the reserved totals). Creation only: the queue rows are written (ORM
broker, inside the transaction) but no worker runs.

    .venv/bin/python bench/jobs.py                 # SQLite (a temp file)
    .venv/bin/python bench/jobs.py --pg            # a throwaway PostgreSQL (or BENCH_PG_URL)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import setup_django, start_postgres, stop_postgres  # noqa: E402


def documents(count: int, tag: str) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [SimpleUploadedFile(f"{tag}-{n:04}.txt", f"第{n}份{tag}文件：汉字简体转换测试，这里讨论发展与联系。\n".encode())
            for n in range(count)]


def run(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from credits.selectors import balance_of, find_breaches
    from credits.services import grant
    from jobs import services as jobs
    from tasks import services
    from tasks.models import ProcessingTask

    user = get_user_model().objects.create_user("jobs-bench")
    grant(user_id=user.pk, amount=10**9, reason="bench")
    singles, batch = documents(count, "single"), documents(count, "job")

    start = time.perf_counter()
    for upload in singles:
        services.create_task(user_id=user.pk, upload=upload, engine_name="opencc", source_lang="zh-Hans",
                             target_lang="zh-Hant")
    single_s = time.perf_counter() - start

    start = time.perf_counter()
    job = jobs.create_job(user_id=user.pk, uploads=batch, engine_name="opencc", source_lang="zh-Hans",
                          target_langs=["zh-Hant"])
    job_s = time.perf_counter() - start

    reserved = sum(ProcessingTask.objects.values_list("cost", flat=True))
    books = "ok" if balance_of(user_id=user.pk) == 10**9 - reserved else "WRONG"
    in_job = ProcessingTask.objects.filter(job_link__job=job).count()
    print(f"{connection.vendor}: {count} single tasks {count / single_s:,.0f} tasks/s ({single_s:.2f} s); "
          f"one {in_job}-document job {in_job / job_s:,.0f} tasks/s ({job_s:.2f} s); "
          f"ratio {single_s / job_s:.2f}; balance {books}; ledger breaches {len(find_breaches())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    pg_dir = None
    if args.pg:
        url = os.environ.get("BENCH_PG_URL") or ""
        if not url:
            url, pg_dir = start_postgres()
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/jobs.sqlite3"
    try:
        setup_django(url, ZHIYI_JOB_MAX_DOCUMENTS=str(max(args.documents, 500)))
        run(args.documents)
    finally:
        if pg_dir:
            stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
