"""PDF: the text layer is extracted page by page (PDFium, see pdf_text.py) and delivered as a
DOCX with one section per page. PDF layout (positions, fonts, images) is not kept, and the UI
and API say so (`layout_note`). A PDF without a text layer (scanned pages), or whose fonts give
no readable text (glyph ids without a Unicode map), is refused before it is priced."""
from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.pdf_text import extract_pages, is_unreadable

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
            for _paragraph in page:
                document.add_paragraph(next(texts))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


class PdfHandler(DocumentHandler):
    format = "pdf"
    label = gettext_lazy("PDF document")
    extensions = ("pdf",)
    output = Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    kept = gettext_lazy("The text page by page, as a Word document; the layout is not kept.")
    layout_note = gettext_lazy("PDF layout is not preserved: the text is extracted page by page and delivered "
                               "as a Word document (one section per page).")

    def sniff(self, data: bytes) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF-")

    def parse(self, data: bytes) -> PdfDocument:
        import pypdfium2

        try:
            texts = extract_pages(data)
        except pypdfium2.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise DocumentError(_("This PDF is password-protected. Remove the password and upload it again."),
                                    code="encrypted_document") from None
            raise DocumentError(_("This PDF is damaged or incomplete and cannot be read."),
                                code="corrupt_document") from None
        if not any(text.strip() for text in texts):
            raise DocumentError(_("This PDF has no text layer (it looks scanned). Run OCR on it first, "
                                  "then upload it again."), code="no_text_in_pdf")
        if is_unreadable("\n".join(texts)):
            raise DocumentError(_("The text of this PDF cannot be read: its fonts carry no map from glyphs to "
                                  "characters, so extraction gives symbols instead of words. Export it again "
                                  "with embedded Unicode fonts, or run OCR on it, then upload it again."),
                                code="unreadable_pdf_text")
        return PdfDocument([_paragraphs(text) for text in texts])
