"""Engine throughput by batch size against the bare engine, and the translation memory's cost.

    .venv/bin/python bench/engines.py

Prints, for apertium (en→es) and opencc (zh-Hans→zh-Hant): segments/s when the adapter is called
with batches of 1, 10, 100 and 1,000 segments, and the bare engine on the same text in one go
(`apertium eng-spa` reading one pipe; `OpenCC.convert` on one string), as a ratio. Then the cost of
a memory lookup per segment and the share of a document with repeated content served from memory.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import setup_django  # noqa: E402

WORDS_EN = ("the house dog river city book friend morning water green small old new big red "
            "we read write see have find give tell work call try ask need feel become leave").split()
WORDS_ZH = list("汉字简体转换测试发展联系这是第二行包含内容国家经济会议时间问题学习")


def english(n: int, rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(6, 14))).capitalize() + "." for _ in range(n)]


def chinese(n: int, rng: random.Random) -> list[str]:
    return ["".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(12, 30))) + "。" for _ in range(n)]


def rate(fn, count: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def bench_engine(name: str, engine, segments: list[str], source: str, target: str, bare) -> None:  # type: ignore[no-untyped-def]
    bare_rate = rate(lambda: bare(segments), len(segments))
    print(f"{name}: bare engine, {len(segments):,} segments in one go: {bare_rate:,.0f} segments/s")
    for size in (1, 10, 100, 1000):
        sample = segments if size >= 100 else segments[: max(size * 20, 200)]
        chunks = [sample[i:i + size] for i in range(0, len(sample), size)]
        ours = rate(lambda: [engine.translate(c, source, target) for c in chunks], len(sample))
        print(f"  batch {size:>5}: {ours:>9,.0f} segments/s   ratio to bare {ours / bare_rate:.2f}")


def main() -> None:
    setup_django(f"sqlite:///{tempfile.mkdtemp(prefix='zhiyi-bench-')}/engines.sqlite3")
    from django.contrib.auth import get_user_model

    from memory.services import Memory
    from tasks.engines.apertium import ApertiumEngine
    from tasks.engines.opencc import OpenCCEngine, _converter
    from tasks.translation import billing_plan, run_pipeline

    rng = random.Random(7)
    if shutil.which("apertium"):
        def bare_apertium(segments: list[str]) -> None:
            subprocess.run(["apertium", "-u", "eng-spa"], input="\n\n".join(segments).encode(), capture_output=True,
                           check=True)

        bench_engine("apertium en→es", ApertiumEngine(), english(2000, rng), "en", "es", bare_apertium)
    else:
        print("apertium: not installed, skipped")
    zh = chinese(20000, rng)
    bench_engine("opencc zh-Hans→zh-Hant", OpenCCEngine(), zh, "zh-Hans", "zh-Hant",
                 lambda segments: _converter("s2t").convert("\n".join(segments)))

    user = get_user_model().objects.create_user("bench")
    memory = Memory(user_id=user.pk, engine_key="opencc", source_lang="zh-Hans", target_lang="zh-Hant")
    known = zh[:10000]
    run_pipeline(OpenCCEngine(), known, "zh-Hans", "zh-Hant", memory=memory)
    start = time.perf_counter()
    found = memory.lookup(known)
    per_segment = (time.perf_counter() - start) / len(known)
    print(f"memory: lookup of {len(known):,} segments among {len(found):,} stored: "
          f"{per_segment * 1e6:.1f} µs per segment (SQLite)")
    document = [rng.choice(known) if rng.random() < 0.6 else s for s in chinese(2000, rng)]
    billed, from_memory = billing_plan(document, memory)
    total = billed + from_memory
    print(f"memory: a 2,000-segment document with ~60 % previously translated content: {from_memory:,} of "
          f"{total:,} characters ({from_memory / total:.0%}) served from memory, {billed:,} billed")


if __name__ == "__main__":
    main()
