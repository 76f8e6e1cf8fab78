"""PDF: delivered as a PDF with its layout kept (each block of text replaced where it stood by
its translation: pdf_layout.py), or, if the user chooses, as a DOCX with one section per page
(the text only, and the quote says so). A PDF without a text layer (scanned pages) is read by
OCR (scans.py); one whose fonts give no readable text (glyph ids without a Unicode map) is
refused before it is priced."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentError, DocumentHandler, Output
from tasks.documents.pdf_document import PdfDocument
from tasks.documents.pdf_layout import read_blocks
from tasks.documents.pdf_text import extract_pages, is_unreadable
from tasks.documents.scans import scanned_pdf_blocks


class PdfHandler(DocumentHandler):
    format = "pdf"
    label = gettext_lazy("PDF document")
    extensions = ("pdf",)
    output = Output("pdf", "application/pdf")
    other_outputs = (Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),)
    supports_bilingual = True
    kept = gettext_lazy("The layout: every block of text where it stood, images, drawings and links untouched; "
                        "or, as a Word document, the text page by page.")
    layout_note = gettext_lazy("The layout is kept: each block of text is replaced where it stood by its "
                               "translation, made smaller where it is longer, in a font that holds the target "
                               "language's script. Images and drawings are untouched.")
    docx_note = gettext_lazy("PDF layout is not preserved in a Word document: the text is extracted page by page "
                             "(one section per page).")

    def layout_note_for(self, output: Output) -> str:
        return str(self.docx_note if output.extension == "docx" else self.layout_note)

    def sniff(self, data: bytes) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF-")

    def parse(self, data: bytes) -> PdfDocument:
        return self.parse_in(data)

    def parse_in(self, data: bytes, *, source_lang: str = "") -> PdfDocument:
        import pypdfium2

        try:
            texts = extract_pages(data)
        except pypdfium2.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise DocumentError(_("This PDF is password-protected. Remove the password and upload it again."),
                                    code="encrypted_document") from None
            raise DocumentError(_("This PDF is damaged or incomplete and cannot be read."),
                                code="corrupt_document") from None
        if not any(text.strip() for text in texts):  # scanned pages: read them
            return PdfDocument(data, *scanned_pdf_blocks(data, source_lang or "en"))
        if is_unreadable("\n".join(texts)):
            raise DocumentError(_("The text of this PDF cannot be read: its fonts carry no map from glyphs to "
                                  "characters, so extraction gives symbols instead of words. Export it again "
                                  "with embedded Unicode fonts, or run OCR on it, then upload it again."),
                                code="unreadable_pdf_text")
        pdf = pypdfium2.PdfDocument(data)
        try:
            blocks = [block for number in range(len(pdf)) for block in read_blocks(pdf, number)]
            page_count = len(pdf)
        finally:
            pdf.close()
        if not blocks:
            raise DocumentError(_("The text of this PDF cannot be translated in place: it is all rotated or "
                                  "drawn inside embedded forms."), code="no_text_in_pdf")
        return PdfDocument(data, blocks, page_count)
