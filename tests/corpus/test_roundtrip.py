"""Every corpus document in a format the platform reads, through the real worker path
(tasks.services.create_task → the worker's run_task, in-process) with the real engines:
apertium en→es, and opencc for Chinese documents (zh-Hans→zh-Hant, zh-Hant→zh-Hans). The
output is judged by independent tools (tests/corpus/judges.py): same structure, numbers and
formulas untouched, encodings kept. Encrypted and damaged files are refused with their code and
cost nothing. A per-format table and the formatting-fallback rate are printed at the end.

It runs on SQLite only: the database plays no part in what is judged here (the worker path on
PostgreSQL is covered by tests/tasks), and the corpus takes a minute or so per run."""
from __future__ import annotations

import logging
import re
import time
from collections import defaultdict

import pytest

from credits.selectors import balance_of
from tasks import documents, engines, services
from tasks.engines.apertium import ApertiumEngine
from tasks.errors import TaskError
from tasks.models import ProcessingTask
from tasks.translation import linguistic_assets, run_pipeline
from tests.corpus import judges
from tests.corpus.files import corpus_file
from tests.corpus.files import documents as corpus_documents
from tests.helpers import is_postgres, upload

SUPPORTED = {"txt", "md", "html", "docx", "xlsx", "pptx", "srt", "vtt", "po", "pdf",
             "json", "yaml", "android-xml", "apple-strings", "properties", "xliff", "odt", "ods", "odp", "epub",
             "png", "jpg", "tiff"}
CASES = [d for d in corpus_documents() if d["format"] in SUPPORTED]
REFUSALS = {"encrypted": {"encrypted_document"}, "damaged": {"corrupt_document", "unsupported_format"},
            "no-unicode-map": {"unreadable_pdf_text"}}
RESULTS: dict[str, list[dict]] = defaultdict(list)
SUMMARY: list[str] = []
_FALLBACKS = re.compile(r"(\d+) segment\(s\) lost their inline formatting")

pytestmark = pytest.mark.django_db


def engine_for(doc: dict) -> tuple[str, str, str]:
    languages = doc.get("languages", [])
    if any(lang.startswith("zh-Hant") or lang == "lzh" for lang in languages) and "en" not in languages:
        return "opencc", "zh-Hant", "zh-Hans"
    if any(lang.startswith("zh") for lang in languages) and "en" not in languages:
        return "opencc", "zh-Hans", "zh-Hant"
    return "apertium", "en", "es"


def judge(doc: dict, before: bytes, after: bytes, encoding: str, source: str) -> list[str]:
    fmt = doc["format"]
    if fmt in ("docx", "xlsx", "pptx", "pdf", "odt", "ods", "odp", "epub", "png", "jpg", "tiff"):
        return getattr(judges, f"judge_{fmt}")(before, after)
    if fmt == "html":
        return judges.judge_html(before, after)
    try:
        after.decode(encoding)
    except UnicodeDecodeError:
        return [f"output is not {encoding}"]
    return getattr(judges, f"judge_{fmt.replace('-', '_')}")(before, after, encoding, source)


@pytest.fixture
def rich_user(settings, make_user):
    settings.ZHIYI_WELCOME_CREDITS = 10_000_000
    return make_user("corpus")


@pytest.mark.parametrize("doc", CASES, ids=[d["id"] for d in CASES])
def test_corpus_document_round_trip(doc, rich_user, caplog, django_capture_on_commit_callbacks):
    if is_postgres():
        pytest.skip("the corpus round trip runs on SQLite (see the module's docstring)")
    assert ApertiumEngine().availability().available, "apertium and apertium-eng-spa are needed (.ci/run installs them)"
    data = corpus_file(doc["id"]).read_bytes()
    engine, source, target = engine_for(doc)
    expect = set(doc.get("expect", []))
    refusal = set().union(*(codes for tag, codes in REFUSALS.items() if tag in expect))
    name = f"{doc['id']}.{corpus_file(doc['id']).suffix.lstrip('.')}"
    started = time.perf_counter()
    row = {"id": doc["id"], "segments": 0, "fallbacks": 0, "outcome": "translated"}
    try:
        with caplog.at_level(logging.WARNING, logger="zhiyi.worker"), \
                django_capture_on_commit_callbacks(execute=True):
            task = services.create_task(user_id=rich_user.pk, upload=upload(data, name), engine_name=engine,
                                        source_lang=source, target_lang=target)
    except TaskError as exc:
        assert not ProcessingTask.objects.exists() and balance_of(user_id=rich_user.pk) == 10_000_000
        row["outcome"] = f"refused: {exc.code}"
        RESULTS[doc["format"]].append(row)
        assert exc.code in (refusal or {"no_text", "no_text_in_scan"}), f"{doc['id']} refused with {exc.code}: {exc}"
        return
    assert not refusal, f"{doc['id']} should have been refused with {refusal}"
    task.refresh_from_db()
    assert task.status == "completed", (doc["id"], task.error)
    after = task.result.read()
    document = documents.get_handler(task.format).parse(data)
    row["segments"] = len(document.segments)
    row["fallbacks"] = sum(int(m.group(1)) for m in _FALLBACKS.finditer(caplog.text))
    # The same count again, from the translations the worker stored in the user's memory: the
    # document rebuilt from them (no engine call) must lose as many placeholders as the worker did.
    memory, _ = linguistic_assets(user_id=rich_user.pk, engine_name=engine, source=source, target=target,
                                  glossary_id=None)
    stored = run_pipeline(engines.get_engine(engine), document.segments, source, target, memory=memory)
    assert stored.engine_characters == 0
    document.build(stored.translations, target_lang=target)
    assert document.fallbacks == row["fallbacks"], doc["id"]
    row["seconds"] = time.perf_counter() - started
    source = judges.SUPERSET.get(doc.get("encoding", "utf-8"), doc.get("encoding", "utf-8"))
    encoding = "utf-8" if task.message_code == "done_output_utf8" else source
    if task.message_code == "done_output_utf8":
        row["outcome"] = "translated, written as UTF-8"
    problems = judge(doc, data, after, encoding, source)
    row["problems"] = problems
    RESULTS[doc["format"]].append(row)
    if engine == "opencc" or "en" in doc.get("languages", []):
        assert after != data, f"{doc['id']}: nothing was translated"
    assert not problems, f"{doc['id']}: {problems}"


def test_zz_print_the_per_format_table():
    """Runs after the documents (file order): prints what they came to."""
    if not RESULTS:
        pytest.skip("no corpus document ran in this session")
    lines = ["| format | documents | translated | refused (as expected) | segments | formatting fallbacks |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    total_segments = total_fallbacks = 0
    for fmt in sorted(RESULTS):
        rows = RESULTS[fmt]
        done = [r for r in rows if r["outcome"].startswith("translated")]
        segments = sum(r["segments"] for r in done)
        fallbacks = sum(r["fallbacks"] for r in done)
        total_segments += segments
        total_fallbacks += fallbacks
        lines.append(f"| {fmt} | {len(rows)} | {len(done)} | {len(rows) - len(done)} | {segments:,} | {fallbacks} |")
    rate = 100 * total_fallbacks / max(total_segments, 1)
    lines.append(f"| all | {sum(map(len, RESULTS.values()))} | | | {total_segments:,} | {total_fallbacks} "
                 f"({rate:.3f} %) |")
    rows = [r for rs in RESULTS.values() for r in rs]
    utf8 = ", ".join(r["id"] for r in rows if r["outcome"].endswith("UTF-8"))
    refused = ", ".join(f"{r['id']} ({r['outcome'][9:]})" for r in rows if r["outcome"].startswith("refused"))
    SUMMARY[:] = ["Corpus round trip (apertium en→es, opencc for Chinese):", *lines,  # printed by conftest.py
                  f"Written as UTF-8 (the input's encoding cannot hold the translation): {utf8 or 'none'}",
                  f"Refused: {refused or 'none'}"]
    assert rate < 0.2, f"formatting fallbacks in {rate:.3f} % of segments"
