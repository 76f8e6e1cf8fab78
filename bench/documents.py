"""Document pipeline throughput: a 200-page DOCX, a 20,000-row XLSX, a 300-slide PPTX, a 5 MB
HTML page, 400 KB of plain text, a 100-page LibreOffice PDF (PDF out), a 10-page 200 dpi TIFF scan
(OCR), and the formats of bench/formats.py (ODT, EPUB, XLIFF, JSON, YAML),
each parsed, translated and rebuilt (tasks.documents + tasks.translation, as the worker does) with
apertium (eng→spa) and opencc (zh-Hans→zh-Hant). In the same run, the bare engine translates the
same text piped in one go (`apertium -u eng-spa` on plain text; one OpenCC `convert` call), and
the ratio of the two rates is printed, with the number of segments whose inline formatting the
engine lost (`Document.fallbacks`: placeholders dropped or garbled).

    .venv/bin/python bench/documents.py               # everything (a few minutes)
    .venv/bin/python bench/documents.py --scale 0.1   # a quick look
    .venv/bin/python bench/documents.py --engines apertium --batch-chars 100000

Each case runs in its own process so that its peak RSS (ru_maxrss, Django imported) is its own.
Goals (issue #4): pipeline ≥ 0.7 × the bare engine's characters/s; peak RSS ≤ 10 × file + 200 MB.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import formats  # noqa: E402

EN = ("the government said that new system will help people find work and improve their lives in city while "
      "report shows how many schools hospitals roads were built last year under plan council water energy "
      "company market price data public service family children history future development policy").split()
ZH = list("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行"
          "所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力")


def sentence(rng: random.Random, lang: str, words: int) -> str:
    if lang == "en":
        return " ".join(rng.choice(EN) for _ in range(words)).capitalize() + "."
    return "".join(rng.choice(ZH) for _ in range(words * 2)) + "。"


def make_docx(lang: str, scale: float) -> bytes:
    import docx

    rng = random.Random(1)
    document = docx.Document()
    for page in range(int(200 * scale)):
        document.add_heading(sentence(rng, lang, 5), 2)
        for _ in range(6):
            p = document.add_paragraph(sentence(rng, lang, 18) + " ")
            p.add_run(sentence(rng, lang, 4)).bold = True
            p.add_run(" " + sentence(rng, lang, 12))
        table = document.add_table(rows=2, cols=3)
        for cell in table._cells:
            cell.text = sentence(rng, lang, 3)
        document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(lang: str, scale: float) -> bytes:
    import openpyxl

    rng = random.Random(2)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["id", "name", "description", "amount"])
    for i in range(int(20000 * scale)):
        ws.append([i, sentence(rng, lang, 2), sentence(rng, lang, 8), i * 1.5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_pptx(lang: str, scale: float) -> bytes:
    from pptx import Presentation

    rng = random.Random(3)
    prs = Presentation()
    for _ in range(int(300 * scale)):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = sentence(rng, lang, 5)
        frame = slide.placeholders[1].text_frame
        frame.text = sentence(rng, lang, 10)
        for _ in range(3):
            frame.add_paragraph().text = sentence(rng, lang, 10)
        slide.notes_slide.notes_text_frame.text = sentence(rng, lang, 25)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def make_html(lang: str, scale: float) -> bytes:
    rng = random.Random(4)
    parts = ["<!DOCTYPE html>\n<html lang=\"x\"><head><meta charset=\"utf-8\"><title>Report</title>"
             "<style>body{font:14px sans-serif}</style></head><body>\n"]
    size, target = 0, int(5 * 1024 * 1024 * scale)
    while size < target:
        block = (f'<div class="section" id="s{size}"><h2>{sentence(rng, lang, 5)}</h2>\n'
                 f'<p class="lead">{sentence(rng, lang, 15)} <a href="/x/{size}" title="{sentence(rng, lang, 2)}">'
                 f'{sentence(rng, lang, 3)}</a> <b>{sentence(rng, lang, 3)}</b></p>\n'
                 f'<ul><li>{sentence(rng, lang, 6)}</li><li><span class="x">{sentence(rng, lang, 4)}</span></li></ul>'
                 f'<script>track({size});</script>\n<pre>code {size}</pre></div>\n')
        parts.append(block)
        size += len(block.encode())
    parts.append("</body></html>\n")
    return "".join(parts).encode()


def make_txt(lang: str, scale: float) -> bytes:
    rng = random.Random(5)
    paragraphs, size, target = [], 0, int(400 * 1024 * scale)
    while size < target:
        paragraphs.append(" ".join(sentence(rng, lang, rng.randint(8, 20)) for _ in range(3)))
        size += len(paragraphs[-1].encode()) + 2
    return "\n\n".join(paragraphs).encode()


RIVER_REPORT = ROOT / "tests" / "documents" / "data" / "river-report.pdf"  # LibreOffice: heading, table, picture


def make_pdf(lang: str, scale: float) -> bytes:
    """A LibreOffice PDF's page (heading, paragraphs, a table, a picture) 100 times: PDF in, PDF out."""
    import pypdfium2

    source, out_pdf = pypdfium2.PdfDocument(RIVER_REPORT.read_bytes()), pypdfium2.PdfDocument.new()
    for _ in range(max(1, int(100 * scale))):
        out_pdf.import_pages(source, [0])
    out = io.BytesIO()
    out_pdf.save(out)
    return out.getvalue()


def make_image(lang: str, scale: float) -> bytes:
    """That page scanned at 200 dpi, 10 times, as one multi-page TIFF: read by OCR."""
    import pypdfium2
    from PIL import ImageDraw

    page = pypdfium2.PdfDocument(RIVER_REPORT.read_bytes())[0].render(scale=200 / 72).to_pil().convert("L")
    frames = []
    for number in range(max(1, int(10 * scale))):  # each page its own (OCR results are cached by the bytes)
        frame = page.copy()
        ImageDraw.Draw(frame).text((100, 2100), f"Page {number + 1}", fill=0)
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    return out.getvalue()


MAKERS = {"docx": make_docx, "xlsx": make_xlsx, "pptx": make_pptx, "html": make_html, "txt": make_txt,
          "pdf": make_pdf, "image": make_image,
           **formats.makers(sentence)}  # odt, epub, xliff, json, yaml
ENGINES = {"apertium": ("en", "es", "en"), "opencc": ("zh-Hans", "zh-Hant", "zh")}
ENGLISH_ONLY = {"pdf", "image"}  # made from an English page: run with apertium alone


def bare(engine: str, texts: list[str]) -> float:
    """Seconds for the bare engine to translate `texts` piped in one go."""
    joined = "\n\n".join(t.replace("\n", " ") for t in texts)
    start = time.perf_counter()
    if engine == "apertium":
        subprocess.run(["apertium", "-u", "eng-spa"], input=joined.encode(), capture_output=True, check=True)
    else:
        import opencc

        opencc.OpenCC("s2t").convert(joined)
    return time.perf_counter() - start


def run_case(path: str, fmt: str, engine_name: str) -> dict:
    """In a child process: parse → translate → build, then the bare engine on the same text."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyi.settings")
    import django

    django.setup()
    from tasks.documents import billable_characters, get_handler
    from tasks.documents.inline import PLACEHOLDER
    from tasks.engines import get_engine
    from tasks.translation import run_pipeline

    data = Path(path).read_bytes()
    source, target, _ = ENGINES[engine_name]
    engine = get_engine(engine_name)
    start = time.perf_counter()
    document = get_handler(fmt).parse_in(data, source_lang=source)
    parsed = time.perf_counter()
    result = run_pipeline(engine, document.segments, source, target)
    translated = time.perf_counter()
    document.build(result.translations, target_lang=target)  # the default output (PDF: a PDF)
    built = time.perf_counter()
    unique = list(dict.fromkeys(PLACEHOLDER.sub("", s).strip() for s in document.segments))
    unique = [u for u in unique if u]
    bare_s = bare(engine_name, unique)
    chars = billable_characters(unique)
    total = built - start
    return {
        "format": fmt, "engine": engine_name, "file_mb": len(data) / 1048576, "segments": len(document.segments),
        "unique": len(unique), "characters": chars, "parse_s": parsed - start, "translate_s": translated - parsed,
        "build_s": built - translated, "total_s": total, "segments_per_s": len(document.segments) / total,
        "chars_per_s": chars / total, "bare_s": bare_s, "bare_chars_per_s": chars / bare_s,
        "ratio": bare_s / total, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "fallbacks": document.fallbacks,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--formats", default=",".join(MAKERS))
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--batch-chars", type=int, help="ZHIYI_BATCH_CHARS and ZHIYI_APERTIUM_BATCH_CHARS for the "
                        "pipeline (default: the settings)")
    parser.add_argument("--case", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(*args.case)))
        return
    if shutil.which("apertium") is None:
        args.engines = ",".join(e for e in args.engines.split(",") if e != "apertium")
    work = Path(tempfile.mkdtemp(prefix="zhiyi-bench-docs-"))
    rows = []
    try:
        for fmt in args.formats.split(","):
            for engine in args.engines.split(","):
                if fmt in ENGLISH_ONLY and engine != "apertium":
                    continue
                lang = ENGINES[engine][2]
                path = work / f"{fmt}-{lang}.{fmt}"
                if not path.exists():
                    t = time.perf_counter()
                    path.write_bytes(MAKERS[fmt](lang, args.scale))
                    print(f"made {path.name}: {path.stat().st_size / 1048576:.1f} MB in {time.perf_counter() - t:.1f} s",
                          file=sys.stderr)
                env = {**os.environ, **({"ZHIYI_BATCH_CHARS": str(args.batch_chars),
                                         "ZHIYI_APERTIUM_BATCH_CHARS": str(args.batch_chars)} if args.batch_chars else {})}
                out = subprocess.run([sys.executable, __file__, "--case", str(path), fmt, engine],
                                     capture_output=True, text=True, cwd=ROOT, env=env)
                if out.returncode:
                    raise SystemExit(out.stderr)
                rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
                r = rows[-1]
                print(f"{r['format']:5} {r['engine']:8} file {r['file_mb']:5.1f} MB  segments {r['segments']:7,} "
                      f"chars {r['characters']:9,}  parse {r['parse_s']:5.2f}s translate {r['translate_s']:6.2f}s "
                      f"build {r['build_s']:5.2f}s | {r['segments_per_s']:8,.0f} seg/s {r['chars_per_s']:10,.0f} chars/s | "
                      f"bare {r['bare_chars_per_s']:10,.0f} chars/s  ratio {r['ratio']:.2f} | lost formatting "
                      f"{r['fallbacks']:,} of {r['segments']:,} segments | "
                      f"peak RSS {r['peak_rss_mb']:4.0f} MB (limit {10 * r['file_mb'] + 200:.0f})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
