"""Text extraction from PDFs, and the test of whether what came out is text at all.

A font without a Unicode map (no ToUnicode CMap, a custom encoding) leaves an extractor with
glyph ids: pypdf writes them as names (`/g18/g152`), pdfminer as `(cid:42)`, others as U+FFFD
or private-use code points. Translating that bills the user for garbage, so a document whose
extracted text is more than a sliver of such tokens is refused before it is priced.

The extractor is PDFium (pypdfium2, BSD-3-Clause/Apache-2.0): measured on the corpus PDFs it
read every one the others read, fastest, with the fewest garbage characters (docs/documents.md).
"""
from __future__ import annotations

import re

_GLYPH_NAME = re.compile(r"/(?:g|G|glyph|uni|cid|C)[0-9A-Fa-f]{1,5}\b|\(cid:\d+\)")
_BAD_CHAR = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0e-\x1f\x7f]")
# Symbol-font bullets Word writes as private-use code points, and what they look like.
_SYMBOLS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0d8": "➢", "\uf0fc": "✓"})

# Above this share of garbage among the non-blank characters, the text is not readable; nor is
# it when fewer than half of them are letters or digits (a font with a custom encoding maps
# glyphs to arbitrary ASCII: `"7+%-`).
UNREADABLE_SHARE = 0.05
WORDLIKE_SHARE = 0.5


def garbage_characters(text: str) -> int:
    """Characters that stand for glyphs, not letters: glyph-name and cid tokens, replacement,
    private-use and control characters."""
    names = sum(len(m.group(0)) for m in _GLYPH_NAME.finditer(text))
    return names + len(_BAD_CHAR.findall(_GLYPH_NAME.sub("", text)))


def is_unreadable(text: str) -> bool:
    visible = "".join(text.split())
    if not visible:
        return False
    wordlike = sum(ch.isalnum() for ch in visible)
    return garbage_characters(text) > UNREADABLE_SHARE * len(visible) or wordlike < WORDLIKE_SHARE * len(visible)


def clean(text: str) -> str:
    """PDFium's text as plain lines: CRLF to LF, its end-of-line hyphen mark (U+0002) joins the
    word, Symbol-font bullets become the bullets they show."""
    return text.replace("\x02\r\n", "").replace("\x02", "").replace("\r\n", "\n").translate(_SYMBOLS)


def extract_pages(data: bytes) -> list[str]:
    """The text of each page, in reading order as PDFium gives it. Raises the caller's errors:
    `pypdfium2.PdfiumError` for a damaged or password-protected file."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(clean(textpage.get_text_bounded()))
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()
