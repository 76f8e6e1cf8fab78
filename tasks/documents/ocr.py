"""Scanned pages as images (.png, .jpg, .tiff, multi-page TIFF too): the text is recognised with
Tesseract (Debian's `tesseract-ocr` and its language data: eng, chi_sim, chi_tra when installed;
English alone first, the Chinese models too when English reads the page poorly),
priced from what was recognised, and delivered as a DOCX with one section per page, like a PDF's
text (the picture itself is not in the output; `layout_note` says so). A page where nothing is
recognised with confidence is refused before it is priced (`no_text`).

The image is checked before Tesseract sees it: Pillow reads its header (a damaged file is
`corrupt_document`) and refuses more than `MAX_PIXELS` (a decompression bomb is `zip_bomb`, the
code for every bomb). Tesseract runs with a time limit, on the image bytes through stdin."""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentError, DocumentHandler, Output
from tasks.documents.pdf import PdfDocument

MAX_PIXELS = 60_000_000  # a 600 dpi A3 page is ~70 Mpx in colour, 35 Mpx at 1 bit per pixel is common
MIN_CONFIDENCE = 40  # Tesseract's word confidence (0-100); below it a "word" is usually noise
GOOD_ENOUGH = 50  # a pass this confident is not tried again with more models (Chinese read as English: ~25)
TIMEOUT_S = 300
_LANGUAGES = ("eng", "chi_sim", "chi_tra")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_PATH = os.environ.get("PATH", "/usr/bin:/bin")
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


@functools.cache
def installed_languages() -> frozenset[str]:
    if shutil.which("tesseract") is None:
        return frozenset()
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(listed.split()) & set(_LANGUAGES)


def passes() -> list[str]:
    """The `-l` arguments to try in turn: English alone first (five times faster than with the
    Chinese models), then with them when English read the page poorly."""
    have = installed_languages()
    english = ["eng"] if "eng" in have else []
    return english + ["+".join([lang, *english]) for lang in _LANGUAGES if lang != "eng" and lang in have]


def check_image(data: bytes) -> int:
    """The number of pages (frames), after Pillow has read every frame's header."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # checked here, with our own message and code
    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = getattr(image, "n_frames", 1)
            for frame in range(pages):
                image.seek(frame)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise DocumentError(_("This image is %(mpx)s megapixels; the limit is %(limit)s.")
                                        % {"mpx": f"{width * height / 1e6:.0f}", "limit": MAX_PIXELS // 1_000_000},
                                        code="zip_bomb")
            image.verify()
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        raise DocumentError(_("This image is damaged or not an image Tesseract can read."),
                            code="corrupt_document") from None
    return pages


def _tesseract(data: bytes, langs: str) -> list[dict[str, str]]:
    try:
        run = subprocess.run(["tesseract", "stdin", "stdout", "-l", langs, "--psm", "3", "tsv"], input=data,
                             capture_output=True, timeout=TIMEOUT_S, env={"OMP_THREAD_LIMIT": "1", "PATH": _PATH})
    except subprocess.TimeoutExpired:
        raise DocumentError(_("Recognising the text of this image took too long."), code="corrupt_document") from None
    if run.returncode:
        raise DocumentError(_("This image is damaged or not an image Tesseract can read."),
                            code="corrupt_document")
    rows = csv.DictReader(io.StringIO(run.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]


def _confidence(words: list[dict[str, str]]) -> float:
    """Mean word confidence weighted by length: how well a pass read the page."""
    scores = [(float(w.get("conf") or 0), len(w["text"].strip())) for w in words]
    return sum(c * n for c, n in scores) / max(sum(n for _c, n in scores), 1)


def recognise(data: bytes) -> list[list[str]]:
    """Paragraphs per page, from Tesseract's TSV (words grouped by page, block and paragraph),
    from the pass that read the page best."""
    tries = passes()
    if not tries:
        raise DocumentError(_("Text recognition (Tesseract) is not installed on this server."),
                            code="unsupported_format")
    best: list[dict[str, str]] = []
    for langs in tries:
        words = _tesseract(data, langs)
        if _confidence(words) > _confidence(best) + 5 or not best:
            best = words
        if _confidence(best) >= GOOD_ENOUGH:
            break
    pages: dict[int, dict[tuple[int, int], list[tuple[int, str]]]] = {}
    for word in best:
        if float(word.get("conf") or -1) < MIN_CONFIDENCE:
            continue
        paragraph = pages.setdefault(int(word["page_num"]), {}).setdefault(
            (int(word["block_num"]), int(word["par_num"])), [])
        paragraph.append((int(word["line_num"]), word["text"].strip()))
    out = []
    for number in sorted(pages):
        paragraphs = []
        for key in sorted(pages[number]):
            text = ""
            for _line, word in pages[number][key]:
                joiner = "" if not text or (_CJK.match(text[-1]) and _CJK.match(word[0])) else " "
                text += joiner + word
            if any(ch.isalpha() for ch in text):
                paragraphs.append(text)
        out.append(paragraphs)
    return out


class ImageHandler(DocumentHandler):
    format = "image"
    label = gettext_lazy("Scanned page (image)")
    extensions = ("png", "jpg", "jpeg", "tif", "tiff")
    output = Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    layout_note = gettext_lazy("The text is recognised by OCR and delivered as a Word document, one section per "
                               "page; the picture and its layout are not kept.")
    kept = gettext_lazy("The recognised text, paragraph by paragraph and page by page, as a Word document.")

    def sniff(self, data: bytes) -> bool:
        return data.startswith(_MAGIC)

    def parse(self, data: bytes) -> PdfDocument:
        check_image(data)
        pages = recognise(data)
        if not any(pages):
            raise DocumentError(_("No text could be recognised in this image."), code="no_text")
        return PdfDocument(pages)
