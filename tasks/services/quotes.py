"""What a document costs: the engine checked, the upload read within the limit, the document
parsed the way the worker will parse it and priced by what the engine will really be paid for
(distinct segments the user's translation memory does not hold). Creation and retry price alike."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from lib.languages import language_name
from memory.services import GlossaryError
from tasks import documents, engines
from tasks.errors import FileTooLarge, InvalidInput, UnsupportedMedia
from tasks.pricing import price
from tasks.translation import billing_plan, linguistic_assets


@dataclass(frozen=True)
class Quote:
    format: str
    characters: int  # all billable characters of the document
    cost: int
    segments: int
    layout_note: str = ""
    output_format: str = ""  # the extension of what will be delivered
    memory_characters: int = 0  # of `characters`, found in the user's translation memory
    billed_characters: int = 0  # what the engine is paid for: distinct segments not in memory
    rate_per_1000: int = 0  # the engine's points per 1,000 billed characters
    memory_points: int = 0  # what memory saves: the price without it (same distinct segments) − cost


def check_engine(*, engine_name: str, source_lang: str, target_lang: str, options: dict | None = None) -> engines.Engine:
    try:
        engine = engines.get_engine(engine_name, options)
    except engines.UnknownEngine:
        raise InvalidInput(_("There is no engine called “%(name)s”.") % {"name": engine_name},
                           code="unknown_engine") from None
    availability = engine.availability()
    if not availability.available:
        raise InvalidInput(_("%(engine)s is not available: %(reason)s")
                           % {"engine": engine.label, "reason": availability.reason}, code="engine_unavailable")
    if not engine.supports(source_lang, target_lang):
        raise InvalidInput(_("%(engine)s does not translate %(source)s → %(target)s.")
                           % {"engine": engine.label, "source": language_name(source_lang),
                              "target": language_name(target_lang)}, code="unsupported_language_pair")
    return engine


def max_upload_bytes() -> int:
    """The size limit of an upload, and of a result an external engine sends back."""
    return settings.ZHIYI_MAX_UPLOAD_MB * 1024 * 1024


def read_upload(upload: UploadedFile | None) -> bytes:
    if upload is None:
        raise InvalidInput(_("No file was sent."), code="no_file")
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise FileTooLarge(_("The file is %(size).1f MB; the limit is %(limit)d MB.")
                           % {"size": upload.size / 1048576, "limit": settings.ZHIYI_MAX_UPLOAD_MB})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(_("The file is larger than the %(limit)d MB limit.") % {"limit": settings.ZHIYI_MAX_UPLOAD_MB})
    if not data:
        raise InvalidInput(_("The file is empty."), code="empty_file")
    return data


def quote_document(*, filename: str, data: bytes, engine: engines.Engine, user_id: int | None = None,
                   source_lang: str = "", target_lang: str = "", glossary_id: int | None = None,
                   output_format: str = "") -> Quote:
    """Parse the upload the way the worker will and price it, counting what the user's translation
    memory already holds. Raises TaskError subclasses."""
    try:
        handler = documents.detect(filename, data)
    except documents.UnsupportedFormat as exc:
        raise UnsupportedMedia(str(exc)) from None
    try:
        output = handler.output_for(output_format)
        document = handler.parse_in(data, source_lang=source_lang)
    except documents.DocumentError as exc:
        raise InvalidInput(str(exc), code=exc.code) from None
    characters = document.characters
    if characters == 0:
        raise InvalidInput(_("The document contains no text to translate."), code="no_text")
    memory = None
    if user_id is not None and not engine.asynchronous:
        try:
            memory, _glossary = linguistic_assets(user_id=user_id, engine_name=engine.name, source=source_lang,
                                          target=target_lang, glossary_id=glossary_id)
        except GlossaryError as exc:
            raise InvalidInput(str(exc), code=exc.code) from None
    billed, from_memory = billing_plan(document.segments, memory) if memory else (characters, 0)
    rate = engine.rate_per_1000
    cost = price(rate_per_1000=rate, characters=billed)
    without_memory = price(rate_per_1000=rate, characters=billing_plan(document.segments, None)[0]) if from_memory \
        else cost
    return Quote(format=handler.format, characters=characters, segments=len(document.segments), cost=cost,
                 layout_note=handler.layout_note_for(output), output_format=output.extension,
                 memory_characters=from_memory, billed_characters=billed, rate_per_1000=rate,
                 memory_points=max(0, without_memory - cost))
