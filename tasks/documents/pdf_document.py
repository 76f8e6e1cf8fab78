"""A PDF as a document: one segment per block of text, delivered as a PDF with each block's
translation set where it stood (pdf_layout.render) or as a DOCX, page by page."""
from __future__ import annotations

import io

from tasks.documents.base import Document
from tasks.documents.pdf_layout import Block, interleave, render


class PdfDocument(Document):
    """One segment per block of text (pdf_layout.read_blocks), in page order."""

    def __init__(self, data: bytes, blocks: list[Block], page_count: int) -> None:
        self.data, self.blocks, self.page_count = data, blocks, page_count
        super().__init__([block.text for block in blocks])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        if self.output_format == "docx":
            return self._docx(translations, bilingual=bilingual)
        original = self.pdf_data()
        translated = render(original, self.blocks, translations, target_lang)
        return interleave(original, translated) if bilingual else translated

    def pdf_data(self) -> bytes:
        """The PDF the translation is set on."""
        return self.data

    def _docx(self, translations: list[str], *, bilingual: bool) -> bytes:
        import docx
        from docx.enum.section import WD_SECTION

        document = docx.Document()
        by_page: dict[int, list[tuple[str, str]]] = {}
        for block, translation in zip(self.blocks, translations):
            by_page.setdefault(block.page, []).append((block.text, translation))
        for number in range(self.page_count):
            if number:
                document.add_section(WD_SECTION.NEW_PAGE)
            for source, translation in by_page.get(number, []):
                if bilingual:
                    document.add_paragraph(source).style = document.styles["Quote"]
                document.add_paragraph(translation)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
