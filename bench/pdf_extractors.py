"""PDF text extractors measured on the corpus PDFs (tests/corpus/files/pdf, fetched by
tests/corpus/fetch.py): time, characters, and how much of the text is garbage (glyph names
such as `/g18`, U+FFFD, private-use or control characters) per extractor, and whether the
platform's test (tasks/documents/pdf_text.py) would refuse it as unreadable.

    .venv/bin/python bench/pdf_extractors.py

pypdf, pdfminer.six and pypdfium2 are Python packages (pdfminer.six is only measured when
installed); poppler's `pdftotext` (Debian poppler-utils) runs as a subprocess."""
from __future__ import annotations

import io
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.documents.pdf_text import extract_pages, garbage_characters, is_unreadable  # noqa: E402

logging.disable(logging.WARNING)


def with_pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def with_pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def with_pdfium(data: bytes) -> str:
    return "\n".join(extract_pages(data))  # the platform's own path (tasks/documents/pdf_text.py)


def with_pdftotext(data: bytes) -> str:
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=60)
    if proc.returncode:
        raise RuntimeError(proc.stderr.decode(errors="replace").strip()[:80])
    return proc.stdout.decode("utf-8")


EXTRACTORS = {"pypdf": with_pypdf, "pdfminer.six": with_pdfminer, "pypdfium2": with_pdfium,
              "pdftotext": with_pdftotext}


def available() -> dict:
    out = {}
    for name, fn in EXTRACTORS.items():
        if name == "pdftotext" and not shutil.which("pdftotext"):
            continue
        if name == "pdfminer.six":
            try:
                import pdfminer  # noqa: F401
            except ImportError:
                continue
        out[name] = fn
    return out


def main() -> None:
    folder = ROOT / "tests/corpus/files/pdf"
    files = sorted(folder.glob("*.pdf"))
    if not files:
        sys.exit("no corpus PDFs: run tests/corpus/fetch.py first")
    extractors = available()
    totals = {name: [0.0, 0, 0, 0] for name in extractors}  # seconds, chars, garbage, failures
    print(f"{'document':34} " + " ".join(f"{n:>22}" for n in extractors))
    for path in files:
        data = path.read_bytes()
        cells = []
        for name, fn in extractors.items():
            started = time.perf_counter()
            try:
                text = fn(data)
            except Exception as exc:  # noqa: BLE001 - a failing extractor is a measured outcome
                totals[name][3] += 1
                cells.append(f"{'error ' + type(exc).__name__[:14]:>22}")
                continue
            seconds = time.perf_counter() - started
            chars = len("".join(text.split()))
            bad = garbage_characters(text)
            totals[name][0] += seconds
            totals[name][1] += chars
            totals[name][2] += bad
            flag = "!" if is_unreadable(text) else " "
            cells.append(f"{chars:>8} {bad:>6}{flag}{seconds * 1000:>5.0f}ms")
        print(f"{path.stem:34} " + " ".join(cells))
    print(f"{'total (chars, garbage, time)':34} " + " ".join(
        f"{t[1]:>8} {t[2]:>6} {t[0]:>5.1f}s " for t in totals.values()))
    print("failures: " + ", ".join(f"{n} {t[3]}" for n, t in totals.items()))
    print("columns: non-blank characters, garbage characters (! = judged unreadable), time")


if __name__ == "__main__":
    main()
