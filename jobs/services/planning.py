"""What a job costs before anything is created: every document checked and priced for every
target language (tasks.services.quote_document, as a single task would be), the refusals
collected rather than raised, so the quote can show them all and creation can refuse all at once.

Translation memory is counted as the worker will meet it: a document sent into five languages
shares nothing between them, and the same document twice into one language is translated once
(the second copy is priced as found in memory: the first copy's run stores it there)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.archive import Upload, read_uploads
from jobs.errors import DocumentsRefused
from jobs.language import AUTO, detect_language, sample
from tasks import documents, engines, services
from tasks.errors import InvalidInput, TaskError, UnsupportedMedia
from tasks.pricing import price


@dataclass(frozen=True)
class PlannedTask:
    document: int  # position of its document in the job
    upload: Upload
    target_lang: str
    quote: services.Quote
    source_lang: str  # as asked, or as detected for `auto`
    confidence: float | None = None  # of the detection (None: the source language was given)


@dataclass
class JobPlan:
    documents: list[Upload]
    target_langs: list[str]
    tasks: list[PlannedTask] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return sum(t.quote.cost for t in self.tasks)

    @property
    def characters(self) -> int:
        return sum(t.quote.characters for t in self.tasks)


def unique_targets(target_langs: list[str]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in target_langs if t.strip()))


def plan_job(*, user_id: int, uploads: list[UploadedFile], engine_name: str, source_lang: str,
             target_langs: list[str], options: dict, paths: list[str] | None = None) -> JobPlan:
    """Price every document × target language. Raises only for what concerns the whole request
    (an engine or language pair refused, a zip refused whole, too many documents); a document
    refused on its own is in `plan.refused`."""
    targets = unique_targets(target_langs)
    if not targets:
        raise InvalidInput(_("Name at least one target language."), code="invalid")
    auto = source_lang == AUTO
    if auto:
        _check_available(engine_name, options)  # the pairs are checked per document, once detected
    else:
        for target in targets:
            services.check_engine(engine_name=engine_name, source_lang=source_lang, target_lang=target,
                                  options=options)
    if not uploads:
        raise InvalidInput(_("No file was sent."), code="no_file")
    documents, refused = read_uploads(uploads, paths)
    if not documents and not refused:
        raise InvalidInput(_("The upload holds no document."), code="no_file")
    _check_size(documents, targets)
    plan = JobPlan(documents=documents, target_langs=targets, refused=refused)
    seen: dict[tuple[bytes, str, str], services.Quote] = {}
    for index, upload in enumerate(documents):
        source, confidence = source_lang, None
        if auto:
            try:
                source, confidence = _detect(upload)
            except TaskError as exc:
                plan.refused.append({"name": upload.name, "target_lang": "", "code": exc.code, "detail": str(exc)})
                continue
        digest = hashlib.sha256(upload.data).digest()
        for target in targets:
            try:
                engine = services.check_engine(engine_name=engine_name, source_lang=source, target_lang=target,
                                               options=options)
                earlier = seen.get((digest, source, target))
                if earlier is not None:
                    cost = price(rate_per_1000=engine.rate_per_1000, characters=0)
                    quote = replace(earlier, memory_characters=earlier.characters, billed_characters=0, cost=cost,
                                    memory_points=max(0, earlier.cost + earlier.memory_points - cost))
                else:
                    quote = services.quote_document(
                        filename=upload.filename, data=upload.data, engine=engine, user_id=user_id,
                        source_lang=source, target_lang=target, glossary_id=options.get("glossary_id"),
                        output_format=options.get("output_format", ""))
                    seen[(digest, source, target)] = quote
            except TaskError as exc:
                plan.refused.append({"name": upload.name, "target_lang": target, "code": exc.code,
                                     "detail": str(exc)})
                continue
            plan.tasks.append(PlannedTask(document=index, upload=upload, target_lang=target, quote=quote,
                                          source_lang=source, confidence=confidence))
    return plan


def _check_available(engine_name: str, options: dict) -> None:
    try:
        engine = engines.get_engine(engine_name, options)
    except engines.UnknownEngine:
        raise InvalidInput(f"Unknown engine {engine_name!r}.", code="unknown_engine") from None
    availability = engine.availability()
    if not availability.available:
        raise InvalidInput(f"The {engine.name} engine is not available: {availability.reason}",
                           code="engine_unavailable")


def _detect(upload: Upload) -> tuple[str, float]:
    """The document's language as the engine codes say it, or a TaskError: unreadable (the same
    codes as the quote), or `language_not_detected`."""
    try:
        document = documents.detect(upload.filename, upload.data).parse(upload.data)
    except documents.UnsupportedFormat as exc:
        raise UnsupportedMedia(str(exc)) from None
    except documents.DocumentError as exc:
        raise InvalidInput(str(exc), code=exc.code) from None
    found = detect_language(sample(document.segments))
    if found.language is None:
        raise InvalidInput(_("The language of this document cannot be told (confidence %(confidence)d%%); choose "
                             "the source language.") % {"confidence": round(found.confidence * 100)},
                           code="language_not_detected")
    return found.language, found.confidence


def _check_size(documents: list[Upload], targets: list[str]) -> None:
    most, most_tasks = settings.ZHIYI_JOB_MAX_DOCUMENTS, settings.ZHIYI_JOB_MAX_TASKS
    if len(documents) > most:
        raise InvalidInput(
            ngettext("A job holds at most %(n)d document.", "A job holds at most %(n)d documents.", most) % {"n": most},
            code="too_many_documents")
    if len(documents) * len(targets) > most_tasks:
        raise InvalidInput(
            _("A job holds at most %(n)d documents × target languages.") % {"n": most_tasks},
            code="too_many_documents")


def refuse_if_any(plan: JobPlan) -> None:
    if plan.refused:
        count = len(plan.refused)
        raise DocumentsRefused(ngettext("%(n)d document cannot be translated; nothing was created.",
                                        "%(n)d documents cannot be translated; nothing was created.", count)
                               % {"n": count}, refused=plan.refused)
