"""Scanned pages and images as documents: a PDF without a text layer, and PNG, JPEG and TIFF
(every frame a page). Each page is read by OCR (ocr.py) into blocks; an image becomes a PDF of
its pages first, so a scan and an image are translated and delivered by the PDF code: as a PDF
with the translation set over each paragraph (the default for a scanned PDF) or as a DOCX (the
default for an image)."""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentError, DocumentHandler, Output
from tasks.documents.ocr import OCR_DPI, page_blocks, refuse_if_blank, tesseract_language
from tasks.documents.pdf_document import PdfDocument
from tasks.documents.pdf_layout import Block

MAX_PAGES = 200
MAX_PIXELS = 60_000_000  # a page: a 600 dpi A3 scan is ~70 Mpx in colour; past this it is a bomb
_PDF = Output("pdf", "application/pdf")
_DOCX = Output("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _png(image) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_pdf_blocks(data: bytes, source_lang: str) -> tuple[list[Block], int]:
    """Every page of a PDF without a text layer, rendered at OCR_DPI and read."""
    import pypdfium2

    language = tesseract_language(source_lang)
    pdf = pypdfium2.PdfDocument(data)
    try:
        if len(pdf) > MAX_PAGES:
            raise DocumentError(_("This scan has more than %(count)d pages."), params={"count": MAX_PAGES},
                                code="too_many_pages")
        blocks: list[Block] = []
        recognised = 0
        for number in range(len(pdf)):
            page = pdf[number]
            png = _png(page.render(scale=OCR_DPI / 72, grayscale=True).to_pil())
            found, count = page_blocks(png, language, page=number, page_height=page.get_height(), dpi=OCR_DPI)
            blocks += found
            recognised += count
        refuse_if_blank(recognised)
        return blocks, len(pdf)
    finally:
        pdf.close()


def _frames(data: bytes) -> Iterator:  # type: ignore[type-arg]
    """The image's frames one at a time (a multi-page TIFF has several), grey ones grey, the
    others RGB; only one is decoded at a time."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise Image.DecompressionBombError(image.size)
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if number == MAX_PAGES:
                raise DocumentError(_("This scan has more than %(count)d pages."), params={"count": MAX_PAGES},
                                    code="too_many_pages")
            decoded = frame.convert("L" if frame.mode in ("1", "L", "I;16", "I") else "RGB")
            decoded.info["dpi"] = frame.info.get("dpi") or image.info.get("dpi")
            yield decoded
    except Image.DecompressionBombError:
        raise DocumentError(_("This image is too large to read (more pixels than the limit)."),
                            code="zip_bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DocumentError(_("This image is damaged or incomplete and cannot be read."),
                            code="corrupt_document") from None


def _dpi(frame) -> float:  # type: ignore[no-untyped-def]
    dpi = frame.info.get("dpi")
    value = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else 0.0
    return value if 50 <= value <= 2400 else float(OCR_DPI)  # a missing or absurd density: a scan's usual


def images_to_pdf(frames: Iterable) -> bytes:  # type: ignore[type-arg]
    """A PDF with one page per frame, the frame filling its page at the frame's density."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    for frame in frames:
        scale = 72 / _dpi(frame)
        width, height = frame.width * scale, frame.height * scale
        page = pdf.new_page(width, height)
        picture = pypdfium2.PdfImage.new(pdf)
        picture.set_bitmap(pypdfium2.PdfBitmap.from_pil(frame))
        picture.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
        page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


class ImageHandler(DocumentHandler):
    format = "image"
    label = gettext_lazy("scanned image")
    extensions = ("png", "jpg", "jpeg", "tif", "tiff")
    output = _DOCX
    other_outputs = (_PDF,)
    supports_bilingual = True
    kept = gettext_lazy("The text OCR reads, paragraph by paragraph, page by page; as a PDF, each page's picture "
                        "with the translation set over it.")
    layout_note = gettext_lazy("The text is read by OCR and delivered as a Word document, paragraph by paragraph "
                               "(one section per page).")
    pdf_note = gettext_lazy("The text is read by OCR; the PDF keeps each page's image, with every paragraph's "
                            "translation set over it.")

    def layout_note_for(self, output: Output) -> str:
        return str(self.pdf_note if output.extension == "pdf" else self.layout_note)

    def sniff(self, data: bytes) -> bool:
        return data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*")

    def parse(self, data: bytes):  # type: ignore[no-untyped-def]
        return self.parse_in(data)

    def parse_in(self, data: bytes, *, source_lang: str = ""):  # type: ignore[no-untyped-def]
        language = tesseract_language(source_lang or "en")
        blocks: list[Block] = []
        recognised = pages = 0
        for number, frame in enumerate(_frames(data)):
            png = _png(frame.convert("L"))  # what OCR reads: grey is all it needs, and encodes faster
            dpi = _dpi(frame)
            found, count = page_blocks(png, language, page=number, page_height=frame.height * 72 / dpi, dpi=dpi)
            blocks += found
            recognised += count
            pages = number + 1
        refuse_if_blank(recognised)
        return ImageDocument(data, blocks, pages)


class ImageDocument(PdfDocument):
    """A scan's blocks; the PDF of its pages is made only when a PDF is delivered."""

    def pdf_data(self) -> bytes:
        return images_to_pdf(_frames(self.data))
