"""Document formats. `detect()` picks the handler from the file name and checks the content."""
from __future__ import annotations

from django.utils.translation import gettext as _

from tasks.documents.android import AndroidStringsHandler
from tasks.documents.apple_strings import AppleStringsHandler
from tasks.documents.base import (
    OUTPUT_UTF8,
    Document,
    DocumentError,
    DocumentHandler,
    UnsupportedFormat,
    billable_characters,
)
from tasks.documents.docx import DocxHandler
from tasks.documents.epub import EpubHandler
from tasks.documents.html import HtmlHandler
from tasks.documents.json_resource import JsonHandler
from tasks.documents.markdown import MarkdownHandler
from tasks.documents.odf import OdpHandler, OdsHandler, OdtHandler
from tasks.documents.pdf import PdfHandler
from tasks.documents.po import PoHandler
from tasks.documents.pptx import PptxHandler
from tasks.documents.properties import PropertiesHandler
from tasks.documents.scans import ImageHandler
from tasks.documents.subtitles import SrtHandler, VttHandler
from tasks.documents.txt import TextHandler
from tasks.documents.xliff import XliffHandler
from tasks.documents.xlsx import XlsxHandler
from tasks.documents.yaml_resource import YamlHandler

HANDLERS: dict[str, DocumentHandler] = {
    h.format: h for h in (TextHandler(), MarkdownHandler(), HtmlHandler(), DocxHandler(), XlsxHandler(), PptxHandler(),
                          SrtHandler(), VttHandler(), PoHandler(), PdfHandler(),
                          # resource files developers translate
                          JsonHandler(), YamlHandler(), AndroidStringsHandler(), AppleStringsHandler(),
                          PropertiesHandler(),
                          XliffHandler(), OdtHandler(), OdsHandler(), OdpHandler(), EpubHandler(),
                          ImageHandler())
}


def register(handler: DocumentHandler) -> None:
    """Add a format (one handler per format name; its extensions must not be taken)."""
    taken = {ext for h in HANDLERS.values() if h.format != handler.format for ext in h.extensions}
    if taken & set(handler.extensions):
        raise ValueError(f"extensions {sorted(taken & set(handler.extensions))} already have a handler")
    HANDLERS[handler.format] = handler


__all__ = [
    "OUTPUT_UTF8", "Document", "DocumentError", "DocumentHandler", "UnsupportedFormat", "billable_characters",
    "HANDLERS", "detect", "get_handler", "register", "supported_extensions",
]


def supported_extensions() -> list[str]:
    return sorted(ext for h in HANDLERS.values() for ext in h.extensions)


def get_handler(fmt: str) -> DocumentHandler:
    try:
        return HANDLERS[fmt]
    except KeyError:
        raise UnsupportedFormat(_("Unknown document format %(format)s."), params={"format": repr(fmt)}) from None


# A file without an extension is recognised by its content, the most particular formats first.
_BY_CONTENT = ("pdf", "image", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "vtt", "po", "srt", "xliff",
               "android-xml", "html", "json", "txt")


def detect(filename: str, data: bytes) -> DocumentHandler:
    """The handler for this upload: chosen by extension, confirmed by content (by content alone
    when the name has no extension)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not ext:
        found = next((HANDLERS[f] for f in _BY_CONTENT if f in HANDLERS and HANDLERS[f].sniff(data)), None)
        if found is not None:
            return found
    for handler in HANDLERS.values():
        if ext in handler.extensions:
            if not handler.sniff(data):
                raise UnsupportedFormat(_("The file's content does not match its .%(ext)s extension (%(label)s "
                                          "expected)."), params={"ext": ext, "label": handler.label})
            return handler
    raise UnsupportedFormat(
        _("Files of type .%(ext)s are not supported. Supported: %(supported)s"),
        params={"ext": ext or "(none)", "supported": ", ".join("." + e for e in supported_extensions())}
    )
