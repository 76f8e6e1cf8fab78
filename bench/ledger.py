"""The ledger under contention: W workers each doing P × (reserve, then settle or refund), spread
over A accounts (A = 1: every operation waits for the same row lock). Each round runs the ORM
path (the baseline: `credits.ledger_sql.enabled = False`) and then PostgreSQL's two-statement
path on fresh accounts, and prints operations per second, their ratio, errors, whether every
balance is exact, and the invariant breaches after (must be 0).

Workers are processes, as qcluster's are (one Python process, one GIL, per worker); `--threads`
runs them as threads of this one process instead.

    .venv/bin/python bench/ledger.py                      # starts a throwaway PostgreSQL; A = 1 and 16
    .venv/bin/python bench/ledger.py --accounts 16 --workers 16 --per-worker 300
    BENCH_PG_URL=postgres://... .venv/bin/python bench/ledger.py
    .venv/bin/python bench/ledger.py --sqlite             # SQLite (the ORM path only)
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import setup_django, start_postgres, stop_postgres  # noqa: E402

SETTLED_COST = 37


def _work(user_id: int, task_ids: list[int], sql: bool, start, errors) -> None:  # noqa: ANN001
    """One worker: reserve 100 for each task, then settle odd ones at 37 and refund even ones."""
    from django.db import connection

    from credits import ledger_sql, services

    ledger_sql.enabled = sql
    try:
        start.wait()
        for i, task_id in enumerate(task_ids):
            reservation = services.reserve(user_id=user_id, task_id=task_id, number=1, amount=100)
            if i % 2:
                services.settle(reservation_id=reservation.pk, actual_cost=SETTLED_COST)
            else:
                services.refund(reservation_id=reservation.pk)
    except BaseException as exc:  # noqa: BLE001
        errors.put(repr(exc))
    finally:
        connection.close()


def _round(label: str, *, sql: bool, workers: int, per_worker: int, accounts: int, threads: bool) -> float:
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from credits import services
    from credits.selectors import find_breaches
    from tasks.models import ProcessingTask

    users = [get_user_model().objects.create_user(f"ledger-{label}-{n}").pk for n in range(accounts)]
    for user_id in users:
        services.grant(user_id=user_id, amount=10**9, reason="bench")
    owner = [users[w % accounts] for w in range(workers)]
    ProcessingTask.objects.bulk_create(
        ProcessingTask(user_id=owner[w], engine="opencc", source_lang="zh-Hans", target_lang="zh-Hant",
                       format="txt", filename=f"{w}-{n}.txt", original="bench")
        for w in range(workers) for n in range(per_worker))
    tasks = list(ProcessingTask.objects.filter(user_id__in=users).order_by("pk").values_list("pk", flat=True))
    chunks = [tasks[w * per_worker:(w + 1) * per_worker] for w in range(workers)]
    if threads:
        start, errors = threading.Barrier(workers + 1), queue.SimpleQueue()
        pool = [threading.Thread(target=_work, args=(owner[w], chunks[w], sql, start, errors)) for w in range(workers)]
    else:
        connections.close_all()  # each forked worker opens its own connection
        context = multiprocessing.get_context("fork")
        start, errors = context.Barrier(workers + 1), context.Queue()
        pool = [context.Process(target=_work, args=(owner[w], chunks[w], sql, start, errors)) for w in range(workers)]
    for worker in pool:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in pool:
        worker.join()
    elapsed = time.perf_counter() - began
    failed = []
    while not errors.empty():
        failed.append(errors.get())
    settled_per_worker = per_worker // 2
    expected = 10**9 - SETTLED_COST * settled_per_worker * (workers // accounts)
    wrong = [u for u in users if services.get_or_create_account(user_id=u).balance != expected]
    rate = workers * per_worker / elapsed
    print(f"  {label:<22} {rate:8,.0f} operations/s ({elapsed:.2f} s), errors {len(failed)}"
          f"{' ' + failed[0] if failed else ''}, balances {'exact' if not wrong else f'{len(wrong)} WRONG'}, "
          f"invariant breaches {len(find_breaches())}", flush=True)
    connection.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--per-worker", type=int, default=300)
    parser.add_argument("--accounts", type=int, action="append", help="default: 1 and 16")
    parser.add_argument("--threads", action="store_true", help="workers as threads of one process")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.workers % max(args.accounts or [1]):
        parser.error("--workers must be a multiple of every --accounts")
    pg_dir = None
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/ledger.sqlite3"
    else:
        url = os.environ.get("BENCH_PG_URL") or ""
        if not url:
            url, pg_dir = start_postgres()
    try:
        setup_django(url)
        from django.db import connection

        kind = "threads" if args.threads else "processes"
        print(f"{connection.vendor}, {args.workers} worker {kind} × {args.per_worker} reserve + settle/refund, "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
        for accounts in args.accounts or [1, 16]:
            print(f"{accounts} account(s):")
            rounds = dict(workers=args.workers, per_worker=args.per_worker, accounts=accounts, threads=args.threads)
            orm = _round(f"ORM path ({accounts})", sql=False, **rounds)
            if connection.vendor == "postgresql":
                fast = _round(f"two statements ({accounts})", sql=True, **rounds)
                print(f"  ratio two statements / ORM: {fast / orm:.2f}", flush=True)
    finally:
        if pg_dir:
            stop_postgres(pg_dir)


if __name__ == "__main__":
    main()
