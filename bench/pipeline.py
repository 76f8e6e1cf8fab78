"""300 small tasks end to end through a real qcluster (2 workers), against the same number of
no-op django-q2 jobs on the same cluster, on SQLite (django-q2's tables in the same file, and in
a file of their own) and on PostgreSQL.

    .venv/bin/python bench/pipeline.py            # all three
    .venv/bin/python bench/pipeline.py --db sqlite

Prints tasks/s for each and the ratio (goal: our pipeline ≥ 0.5 of the no-op rate).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def noop(n: int) -> int:
    return n


def _wait(predicate, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("benchmark timed out")
        time.sleep(0.05)


def run_one(database_url: str, count: int) -> dict:
    from bench._env import setup_django

    env = setup_django(database_url, ZHIYI_Q_WORKERS=os.environ.get("BENCH_WORKERS", "2"))
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_q.models import OrmQ, Task
    from django_q.tasks import async_task

    from credits import services as credits
    from credits.selectors import find_breaches
    from tasks import services
    from tasks.models import ProcessingTask

    user = get_user_model().objects.create_user("bench")
    credits.grant(user_id=user.pk, amount=10**9, reason="bench")
    worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(3)  # cluster start-up is not part of either figure
        # Baseline: no-op jobs through the same broker and workers.
        start = time.perf_counter()
        for n in range(count):
            async_task("bench.pipeline.noop", n, group="noop")
        _wait(lambda: Task.objects.filter(group="noop").count() >= count and not OrmQ.objects.exists())
        noop_rate = count / (time.perf_counter() - start)

        text = "汉字简体转换测试。这是第二行，包含发展与联系。\n" * 5
        start = time.perf_counter()
        for n in range(count):
            services.create_task(user_id=user.pk, upload=SimpleUploadedFile(f"d{n}.txt", text.encode()),
                                 engine_name="opencc", source_lang="zh-Hans", target_lang="zh-Hant")
        created = time.perf_counter() - start
        _wait(lambda: ProcessingTask.objects.filter(status="completed").count() >= count)
        elapsed = time.perf_counter() - start
        failed = ProcessingTask.objects.exclude(status="completed").count()
        if os.environ.get("BENCH_DEBUG"):
            for group in ("noop", "translate"):
                runs = [(t.stopped - t.started).total_seconds() for t in Task.objects.filter(group=group)]
                print(group, "mean run ms", 1000 * sum(runs) / len(runs), file=sys.stderr)
            ours = sorted((t.finished_at - t.started_at).total_seconds() for t in ProcessingTask.objects.all())
            print("claim→complete ms p50", 1000 * ours[len(ours) // 2], "max", 1000 * ours[-1], file=sys.stderr)
            first = ProcessingTask.objects.order_by("started_at").first().started_at
            last = ProcessingTask.objects.order_by("-finished_at").first().finished_at
            print("first claim → last completion s", (last - first).total_seconds(), file=sys.stderr)
    finally:
        worker.terminate()
        worker.wait(20)
    return {"tasks": count, "pipeline_tasks_per_s": round(count / elapsed, 1),
            "create_s": round(created, 2), "noop_jobs_per_s": round(noop_rate, 1),
            "ratio": round((count / elapsed) / noop_rate, 2), "not_completed": failed,
            "breaches": len(find_breaches())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "sqlite-queue-db", "postgres", "both"], default="both",
                        help="sqlite-queue-db: django-q2's tables in their own file (ZHIYI_SQLITE_QUEUE_DB=1); "
                             "both: all three")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--child-url")
    args = parser.parse_args()
    if args.child_url:  # one database per process: Django settings are fixed at start-up
        print(json.dumps(run_one(args.child_url, args.count)))
        return
    from bench._env import start_postgres, stop_postgres

    targets = ["sqlite", "sqlite-queue-db", "postgres"] if args.db == "both" else [args.db]
    for target in targets:
        pg_dir = None
        if target.startswith("sqlite"):
            url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/bench.sqlite3"
        else:
            url, pg_dir = start_postgres()
        try:
            env = {**os.environ, "ZHIYI_SQLITE_QUEUE_DB": "1" if target == "sqlite-queue-db" else "0"}
            out = subprocess.run([sys.executable, __file__, "--child-url", url, "--count", str(args.count)],
                                 cwd=ROOT, capture_output=True, text=True, env=env)
            if out.returncode:
                print(out.stderr[-3000:])
                raise SystemExit(out.returncode)
            if os.environ.get("BENCH_DEBUG"):
                print(out.stderr[-2000:])
            result = json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            if pg_dir:
                stop_postgres(pg_dir)
        print(f"{target:15s} pipeline {result['pipeline_tasks_per_s']:6.1f} tasks/s "
              f"(creating {result['create_s']} s) | no-op django-q2 {result['noop_jobs_per_s']:6.1f} jobs/s | "
              f"ratio {result['ratio']:.2f} | not completed {result['not_completed']} | "
              f"ledger breaches {result['breaches']}")


if __name__ == "__main__":
    main()
