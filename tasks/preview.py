"""The task page's preview: source and translation side by side, segment by segment, read from
the stored original and result by the format's own handler (tasks/documents), never by a parser
of its own. A selector: it reads, it writes nothing.

Which formats: those whose translated file, parsed again by the same handler, gives the
translations in the order of the source's segments — plain text, Markdown, HTML, SubRip, WebVTT
and the key/value resource files (JSON, YAML, Android strings.xml, .strings, .properties). Not
PO or XLIFF: their translated file keeps the source beside the translation and their handlers
read the source side, so the result would parse back as the source; nor the zipped office and
e-book formats, PDF and scans, whose parsing costs far more than a page view should.

Bounded: a file over its format's limit is not parsed at all (the page says so), and at most that
many bytes of each file are ever read, whatever size the storage reports. The limits keep the
parse of both files near 0.1 s on an idle core (measured on 128 KB: plain text, SubRip, WebVTT,
Android XML and JSON a few to 30 ms, HTML and .properties about 0.1 s; Markdown 0.4 s and YAML
0.7 s under load, hence their smaller limit)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from tasks import documents
from tasks.models import ProcessingTask, Status

PREVIEW_FORMATS = frozenset({"txt", "md", "html", "srt", "vtt", "json", "yaml", "android-xml", "apple-strings",
                             "properties"})
PREVIEW_MAX_BYTES = 128 * 1024  # of each file, original and result
SLOW_FORMATS_MAX_BYTES = {"md": 32 * 1024, "yaml": 32 * 1024}  # the slowest handlers
SEGMENTS_PER_PAGE = 20
_PLACEHOLDER = re.compile(r"</?\d+/?>")

# Why a preview the format allows is not shown.
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"  # a file is missing, or does not parse, or its segments do not line up


@dataclass(frozen=True)
class Preview:
    page: Page | None  # of (source, translation) pairs; None when `unavailable` says why
    unavailable: str = ""
    max_kb: int = 0  # the format's limit, said when a file is over it

    @property
    def first(self) -> int:
        return self.page.start_index() if self.page else 0

    @property
    def last(self) -> int:
        return self.page.end_index() if self.page else 0


def has_preview(task: ProcessingTask) -> bool:
    """A completed one-language translation of a previewable format, delivered in that format."""
    return (task.status == Status.COMPLETED and task.format in PREVIEW_FORMATS and bool(task.result)
            and not task.options.get("bilingual") and not task.options.get("output_format"))


def preview_of(task: ProcessingTask, *, page: str | int | None) -> Preview | None:
    """The asked page of pairs (out-of-range pages give the nearest one), or None when the task
    has no preview at all."""
    if not has_preview(task):
        return None
    limit = min(PREVIEW_MAX_BYTES, SLOW_FORMATS_MAX_BYTES.get(task.format, PREVIEW_MAX_BYTES))
    source, result = _read(task.original, limit), _read(task.result, limit)
    if source is None or result is None:
        return Preview(page=None, unavailable=UNREADABLE)
    if len(source) > limit or len(result) > limit:
        return Preview(page=None, unavailable=TOO_LARGE, max_kb=limit // 1024)
    handler = documents.get_handler(task.format)
    try:
        originals = handler.parse(source).segments
        translations = handler.parse(result).segments
    except documents.DocumentError:
        return Preview(page=None, unavailable=UNREADABLE)
    if len(originals) != len(translations) or not originals:
        return Preview(page=None, unavailable=UNREADABLE)
    pairs = [(_shown(a), _shown(b)) for a, b in zip(originals, translations)]
    return Preview(page=Paginator(pairs, SEGMENTS_PER_PAGE).get_page(page))


def _read(field, limit: int) -> bytes | None:  # type: ignore[no-untyped-def]
    """At most one byte more than the limit (enough to know it is over), or None when missing."""
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return None


def _shown(segment: str) -> str:
    """A segment as text: its formatting placeholders dropped, its edge blanks trimmed."""
    return _PLACEHOLDER.sub("", segment).strip()
