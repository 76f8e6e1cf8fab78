"""PDF: the text layer is extracted page by page (pypdf) and delivered as a DOCX with one
section per page. PDF layout (positions, fonts, images) is not kept, and the UI and API say so
(`layout_note`). A PDF without a text layer (scanned pages) fails with a clear message."""
from __future__ import annotations

import io
import logging
import re

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output

logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd fonts are noise to users

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs at blank lines; CJK lines join without a space."""
    out: list[str] = []
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            if current:
                out.append(current)
            current = ""
            continue
        joiner = "" if (current and _CJK.match(current[-1]) and _CJK.match(line[0])) or not current else " "
        current = current + joiner + line
    if current:
        out.append(current)
    return out


class PdfDocument(Document):
    def __init__(self, pages: list[list[str]]) -> None:
        self.pages = pages
        super().__init__([p for page in pages for p in page])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        import docx
        from docx.enum.section import WD_SECTION

        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        document = docx.Document()
        texts = iter(translations)
        for number, page in enumerate(self.pages):
            if number:
                document.add_section(WD_SECTION.NEW_PAGE)
            for _ in page:
                document.add_paragraph(next(texts))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


class PdfHandler(DocumentHandler):
    format = "pdf"
    label = "PDF document"
    extensions = ("pdf",)
    output = Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    layout_note = ("PDF layout is not preserved: the text is extracted page by page and delivered "
                   "as a Word document (one section per page).")

    def sniff(self, data: bytes) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF-")

    def parse(self, data: bytes) -> PdfDocument:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentError("This PDF is password-protected. Remove the password and upload it again.",
                                    code="encrypted_document")
            pages = [_paragraphs(page.extract_text() or "") for page in reader.pages]
        except DocumentError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
                raise DocumentError("This PDF is password-protected. Remove the password and upload it again.",
                                    code="encrypted_document") from None
            raise DocumentError("This PDF is damaged or incomplete and cannot be read.",
                                code="corrupt_document") from None
        if not any(pages):
            raise DocumentError("This PDF has no text layer (it looks scanned). Run OCR on it first, "
                                "then upload it again.", code="no_text_in_pdf")
        return PdfDocument(pages)
