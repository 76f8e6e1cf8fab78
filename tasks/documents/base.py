"""The document-handler interface every format plugs into.

A handler reads the uploaded bytes into a `Document`: an ordered list of text segments plus
whatever the handler needs to put translations back. `Document.build(translations)` returns
the translated file's bytes with the structure of the original kept.

Segments may carry inline placeholders for formatting boundaries (`<1>bold</1>`, `<2/>`); the
translation pipeline protects them from engines. Billed characters exclude placeholders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from lib.messages import ReadableError

_PLACEHOLDER = re.compile(r"</?\d+/?>")
OUTPUT_UTF8 = "output_utf8"  # the note: the input's encoding could not hold the translation


class DocumentError(ReadableError):
    """The file cannot be read as the format it claims. `code` is the API error code. Pass the
    template and its `params` apart (not `_("…") % {…}`) so a reader in another language can
    read it later (lib/messages.py)."""

    code = "invalid_document"

    def __init__(self, message: Any, *, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, params=params)
        if code:
            self.code = code


class UnsupportedFormat(DocumentError):
    code = "unsupported_format"


def billable_characters(segments: list[str]) -> int:
    """Characters the user pays for: the segments' text without placeholders or edges' blanks."""
    return sum(len(_PLACEHOLDER.sub("", s).strip()) for s in segments)


class Document:
    """A parsed file. Subclasses fill `segments` and implement `build`.

    `fallbacks` counts, after `build`, the segments whose placeholders the engine lost or
    garbled (their text was kept with the paragraph's first-run formatting)."""

    segments: list[str]
    fallbacks: int = 0
    # Text formats: the encoding the upload was read in (a tasks/documents/encoding.Decoded).
    source_encoding: Any = None
    # After `build`: what the user should be told about the output, as message codes with
    # parameters (e.g. ("output_utf8", {"encoding": "BIG5"})), rendered by the task's note.
    notes: list[tuple[str, dict[str, Any]]]
    # The output chosen among its handler's `outputs` (its extension; "": the default).
    output_format: str = ""

    def __init__(self, segments: list[str]) -> None:
        self.segments = segments
        self.notes = []

    def encode_output(self, text: str) -> bytes:
        """The output in the input's encoding (and its BOM), or UTF-8 (and a note) when that
        encoding cannot hold the translation."""
        source = self.source_encoding
        self.notes = []
        if source is None:
            return text.encode("utf-8")
        try:
            return source.bom + text.encode(source.encoding)
        except UnicodeEncodeError:
            self.notes = [(OUTPUT_UTF8, {"encoding": source.label})]
            return text.encode("utf-8")

    @property
    def output_encoding_kept(self) -> bool:
        return not any(code == OUTPUT_UTF8 for code, _ in self.notes)

    @property
    def characters(self) -> int:
        return billable_characters(self.segments)

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        """The translated file. `target_lang` (BCP 47) is written where the format records a
        language (HTML's `lang`, PO's Language header)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Output:
    extension: str  # without the dot, e.g. "txt"
    content_type: str


class DocumentHandler:
    """One file format. Stateless: `parse` returns a `Document` holding all state."""

    format: ClassVar[str]  # short name, e.g. "txt"
    label: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]  # lower case, without the dot
    output: ClassVar[Output]  # what it delivers unless the user chooses one of `other_outputs`
    other_outputs: ClassVar[tuple[Output, ...]] = ()
    supports_bilingual: ClassVar[bool] = False
    layout_note: ClassVar[str] = ""  # said plainly in the UI and API when layout is not kept
    kept: ClassVar[str] = ""  # what the translated file keeps, in plain words (GET /api/formats/)

    @property
    def outputs(self) -> tuple[Output, ...]:
        """The files a translation of this format can come back as (the first is the default)."""
        return (self.output, *self.other_outputs)

    def output_for(self, choice: str | None) -> Output:
        """The output a user chose by its extension ("" or None: the default); DocumentError
        (`unsupported_output_format`) when this format does not offer it."""
        if not choice:
            return self.output
        for output in self.outputs:
            if output.extension == choice.lower().lstrip("."):
                return output
        from django.utils.translation import gettext as _

        offered = ", ".join(o.extension for o in self.outputs)
        raise DocumentError(_("A %(label)s can be delivered as %(offered)s, not as %(choice)s."),
                            params={"label": self.label, "offered": offered, "choice": choice},
                            code="unsupported_output_format")

    def layout_note_for(self, output: Output) -> str:
        """What the output keeps or not, said in the quote."""
        return str(self.layout_note)

    def sniff(self, data: bytes) -> bool:
        """True when the bytes look like this format (content, not just the extension)."""
        raise NotImplementedError

    def parse(self, data: bytes) -> Document:
        """Read the file; raise DocumentError with a clear message when it cannot."""
        raise NotImplementedError

    def parse_in(self, data: bytes, *, source_lang: str = "") -> Document:
        """`parse`, told the document's language (BCP 47): what OCR needs to read a scan."""
        return self.parse(data)
