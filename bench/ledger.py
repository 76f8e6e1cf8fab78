"""16 threads × 300 reserve + settle/refund on ONE account, on PostgreSQL (row lock contention):
operations per second and invariant breaches after (must be 0).

    .venv/bin/python bench/ledger.py               # starts a throwaway PostgreSQL
    BENCH_PG_URL=postgres://... .venv/bin/python bench/ledger.py
    .venv/bin/python bench/ledger.py --sqlite      # the same on SQLite, for comparison
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import setup_django, start_postgres, stop_postgres  # noqa: E402


def run(threads: int, per_thread: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from credits import services
    from credits.selectors import find_breaches
    from tasks.models import ProcessingTask

    user = get_user_model().objects.create_user("ledger-bench")
    services.grant(user_id=user.pk, amount=10**9, reason="bench")
    total = threads * per_thread
    ProcessingTask.objects.bulk_create(
        ProcessingTask(user=user, engine="opencc", source_lang="zh-Hans", target_lang="zh-Hant", format="txt",
                       filename=f"{n}.txt", original="bench") for n in range(total))
    ids = list(ProcessingTask.objects.order_by("pk").values_list("pk", flat=True))
    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def worker(chunk: list[int]) -> None:
        try:
            barrier.wait()
            for i, task_id in enumerate(chunk):
                r = services.reserve(user_id=user.pk, task_id=task_id, number=1, amount=100)
                if i % 2:
                    services.settle(reservation_id=r.pk, actual_cost=37)
                else:
                    services.refund(reservation_id=r.pk)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(ids[n::threads],)) for n in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    breaches = find_breaches()
    balance = services.get_or_create_account(user_id=user.pk).balance
    expected = 10**9 - 37 * sum(1 for n in range(threads) for i in range(len(ids[n::threads])) if i % 2)
    print(f"{connection.vendor}: {threads} threads × {per_thread} reserve+settle/refund on one account: "
          f"{total / elapsed:,.0f} operations/s ({elapsed:.2f} s), errors {len(errors)}, "
          f"balance {'ok' if balance == expected else f'WRONG {balance} != {expected}'}, "
          f"invariant breaches {len(breaches)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--per-thread", type=int, default=300)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    pg_dir = None
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/ledger.sqlite3"
    else:
        url = os.environ.get("BENCH_PG_URL") or ""
        if not url:
            url, pg_dir = start_postgres()
    try:
        setup_django(url)
        run(args.threads, args.per_thread)
    finally:
        if pg_dir:
            stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
