"""Render the reliability suite's figures (var/reliability.jsonl, written by tests/reliability/)
as docs/reliability.md. Run by scripts/test.sh after the suite; by hand:
`python scripts/reliability_report.py [report.jsonl] [docs/reliability.md]`."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTRO = """# Reliability

What the reliability suite (`tests/reliability/`, part of `make test`; longer variants with
`make soak`) did to real processes — daphne, qcluster under `manage.py run_worker`, PostgreSQL —
and what it measured. Produced from the suite's own output by `scripts/reliability_report.py`;
every row is one test's figures, and each test asserts what its caption says.
"""
CAPTIONS = {
    "stream churn": "Clients that reset their connection before or while reading: every stream ends, the web "
                    "process is back at rest (CPU ticks of 10 ms over one second), descriptors and memory back "
                    "to where they were (RSS growth under 5 MB).",
    "web drain on SIGTERM": "SIGTERM to daphne: every stream ends with a jittered `retry:` before the process exits.",
    "web restart": "The web process restarts while clients stream: every client reconnects with its "
                   "Last-Event-ID and sees its task's final state.",
    "database restart": "PostgreSQL restarts (fast), then stops at once and stays down while the listener fails "
                        "to reconnect; 200 streams open and tasks running. Every stream shows its final state, "
                        "no task is stuck, neither web nor workers needed a restart.",
    "worker kill": "SIGKILL of busy and idle workers, the pusher and the whole cluster at random moments under "
                   "`run_worker`: every task completed (or failed and refunded), each charged once, books clean.",
    "wedged cluster": "The whole cluster frozen (SIGSTOP): /healthz answers 503 within the stall limit and the "
                      "supervisor restarts the cluster; the waiting task completes.",
    "money under contention": "200 creations from 10 users over two web processes with credits for half; "
                              "20 copies of one Idempotency-Key.",
    "webhook storm": "1,000 webhook deliveries, 30 % repeats and 10 % forged, shuffled, 16 at a time over two "
                     "web processes.",
    "mixed load": "1,000 open streams while tasks are created at 5 a second: API latency of a creation, and "
                  "event latency from a task's completion to its event reaching a stream.",
    "two web + two workers": "Tasks created on one web process, streamed from the other, taken by two clusters.",
    "file names": "Long Chinese and emoji names, with and without an extension: stored name, result name and "
                  "download name, in bytes.",
    "hostile uploads": "Mutated files of every format (hypothesis): refused with a code, or completed, or failed "
                       "and refunded — never a crash.",
    "hostile XML": "A billion laughs and an external entity inside a DOCX: never expanded.",
}


def render(lines: list[dict]) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    out = [INTRO, f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load} "
                  f"(2 cores).\n"]
    by_test: dict[str, list[dict]] = {}
    for line in lines:
        by_test.setdefault(line["test"], []).append(line)
    for test in [t for t in CAPTIONS if t in by_test] + [t for t in by_test if t not in CAPTIONS]:
        rows = by_test[test]
        keys = [k for k in dict.fromkeys(k for r in rows for k in r) if k != "test"]
        out.append(f"## {test}\n\n{CAPTIONS.get(test, '')}\n")
        out.append("| " + " | ".join(k.replace("_", " ") for k in keys) + " |")
        out.append("|" + "---|" * len(keys))
        for row in rows:
            out.append("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "reliability.jsonl"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "reliability.md"
    if not source.exists():
        print(f"{source}: no figures (did the reliability suite run?)")
        return
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    target.write_text(render(lines), encoding="utf-8")
    print(f"{target}: {len(lines)} rows from {source}")


if __name__ == "__main__":
    main()
