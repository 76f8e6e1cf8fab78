"""Scans: pages read by Tesseract (Debian's tesseract-ocr and a language data package for the
source language), in the document's language, into blocks like those of a PDF with a text layer
(pdf_layout.Block), so a scan is priced from what OCR read and delivered the same ways: as a PDF
with each paragraph's translation set over it on a white ground (the page image stays, and the
text is real text: searchable), or as a DOCX.

A page where Tesseract finds nothing it is sure of is refused before it is priced. OCR takes
seconds a page, so what it read is kept in Django's cache (by the bytes and the language) for
the quote, the creation and the worker to share where the cache is shared."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from django.core.cache import cache as django_cache
from django.utils.translation import gettext as _

from tasks.documents.base import DocumentError
from tasks.documents.pdf_layout import Block, Piece

# BCP 47 (primary subtag, or the whole tag) → Tesseract's language data, and its Debian package.
TESSERACT_LANGUAGES = {
    "en": "eng", "es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por", "nl": "nld", "ru": "rus",
    "ja": "jpn", "ko": "kor", "ar": "ara", "zh": "chi_sim", "zh-Hans": "chi_sim", "zh-Hant": "chi_tra",
}
OCR_DPI = 300
MIN_CONFIDENCE = 50  # of 100: words Tesseract is less sure of are not counted as recognised
MIN_RECOGNISED = 3  # letters or digits on a page set at least this: fewer, and it has no text
_TIMEOUT_S = 300


_CJK = re.compile("[\u2e80-\u9fff\u3000-\u303f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@dataclass
class OcrLine:
    words: list[str]
    left: int
    top: int
    right: int
    bottom: int

    @property
    def text(self) -> str:
        """Its words, with a space between them except between two CJK characters."""
        out = ""
        for word in self.words:
            if out and not (_CJK.match(out[-1]) and _CJK.match(word[0])):
                out += " "
            out += word
        return out


@cache
def installed_languages() -> frozenset[str]:
    if not shutil.which("tesseract"):
        return frozenset()
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(line.strip() for line in listing.stdout.splitlines()[1:] if line.strip())


def tesseract_language(source_lang: str) -> str:
    """Tesseract's name for the language, if its data is installed; DocumentError otherwise."""
    name = TESSERACT_LANGUAGES.get(source_lang) or TESSERACT_LANGUAGES.get(source_lang.split("-")[0].lower(), "")
    if not installed_languages():
        raise DocumentError(_("Scanned pages cannot be read on this server: OCR (Tesseract) is not installed."),
                            code="ocr_unavailable")
    if not name or name not in installed_languages():
        raise DocumentError(_("Scanned pages in %(language)s cannot be read on this server: its OCR language data "
                              "is not installed."), params={"language": source_lang or "?"}, code="ocr_unavailable")
    return name


def read_page(png: bytes, language: str, dpi: float = OCR_DPI) -> tuple[list[list[OcrLine]], int]:
    """The paragraphs of one page image, each a list of lines (pixel boxes), as Tesseract reads
    them, and how many letters and digits it read with at least MIN_CONFIDENCE ("the page has text")."""
    key = "ocr:" + hashlib.sha256(png + language.encode()).hexdigest()
    tsv = django_cache.get(key)
    if tsv is None:
        run = subprocess.run(["tesseract", "stdin", "stdout", "-l", language, "--dpi", str(round(dpi)), "tsv"],
                             input=png, capture_output=True, timeout=_TIMEOUT_S,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})  # its threads only contend here
        if run.returncode != 0:
            raise DocumentError(_("This image could not be read."), code="corrupt_document")
        tsv = run.stdout.decode("utf-8", "replace")
        django_cache.set(key, tsv, 24 * 3600)
    paragraphs: dict[tuple[str, str], dict[str, OcrLine]] = {}
    recognised = 0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        confidence = float(row.get("conf") or -1)
        if row.get("level") != "5" or not text or confidence < 0:
            continue
        if confidence >= MIN_CONFIDENCE:
            recognised += sum(ch.isalnum() for ch in text)
        left, top = int(row["left"]), int(row["top"])
        right, bottom = left + int(row["width"]), top + int(row["height"])
        lines = paragraphs.setdefault((row["block_num"], row["par_num"]), {})
        line = lines.get(row["line_num"])
        if line is None:
            lines[row["line_num"]] = OcrLine([text], left, top, right, bottom)
        else:
            line.words.append(text)
            line.left, line.top = min(line.left, left), min(line.top, top)
            line.right, line.bottom = max(line.right, right), max(line.bottom, bottom)
    return [list(lines.values()) for lines in paragraphs.values()], recognised


def page_blocks(png: bytes, language: str, *, page: int, page_height: float, dpi: float) -> tuple[list[Block], int]:
    """The page's paragraphs as blocks in PDF points (origin bottom left), to be covered and set
    with their translation (their pieces have no object to remove: index -1), and the count of
    characters recognised (read_page)."""
    scale = 72 / dpi
    blocks = []
    paragraphs, recognised = read_page(png, language, dpi)
    for paragraph in paragraphs:
        pieces, texts = [], []
        for line in paragraph:
            height = (line.bottom - line.top) * scale
            size = max(height * 0.8, 4.0)
            bottom = page_height - line.bottom * scale
            pieces.append(Piece(-1, line.text, line.left * scale, bottom, line.right * scale,
                                page_height - line.top * scale, size, (0, 0, 0, 255), "", bottom + 0.2 * size))
            texts.append(line.text)
        block = Block(page, pieces, texts, column=max(p.right for p in pieces),
                      line_spans=[(p.left, p.right) for p in pieces], cover=True)
        if len(pieces) > 1:
            block.pitch = (pieces[0].baseline - pieces[-1].baseline) / (len(pieces) - 1)
        blocks.append(block)
    return blocks, recognised


def refuse_if_blank(recognised: int) -> None:
    if recognised < MIN_RECOGNISED:
        raise DocumentError(_("No text could be recognised in this scan. Upload a sharper scan (300 dpi or more), "
                              "or a file with a text layer."), code="no_text_in_scan")
