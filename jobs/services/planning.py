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
from tasks import services
from tasks.errors import InvalidInput, TaskError
from tasks.pricing import price


@dataclass(frozen=True)
class PlannedTask:
    document: int  # position of its document in the job
    upload: Upload
    target_lang: str
    quote: services.Quote


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
             target_langs: list[str], options: dict) -> JobPlan:
    """Price every document × target language. Raises only for what concerns the whole request
    (an engine or language pair refused, a zip refused whole, too many documents); a document
    refused on its own is in `plan.refused`."""
    targets = unique_targets(target_langs)
    if not targets:
        raise InvalidInput(_("Name at least one target language."), code="invalid")
    engines = {t: services.check_engine(engine_name=engine_name, source_lang=source_lang, target_lang=t,
                                        options=options) for t in targets}
    if not uploads:
        raise InvalidInput(_("No file was sent."), code="no_file")
    documents, refused = read_uploads(uploads)
    if not documents and not refused:
        raise InvalidInput(_("The upload holds no document."), code="no_file")
    _check_size(documents, targets)
    plan = JobPlan(documents=documents, target_langs=targets, refused=refused)
    seen: dict[tuple[bytes, str], services.Quote] = {}
    for index, upload in enumerate(documents):
        digest = hashlib.sha256(upload.data).digest()
        for target in targets:
            earlier = seen.get((digest, target))
            if earlier is not None:
                quote = replace(earlier, memory_characters=earlier.characters, billed_characters=0,
                                cost=price(rate_per_1000=engines[target].rate_per_1000, characters=0))
            else:
                try:
                    quote = services.quote_document(
                        filename=upload.filename, data=upload.data, engine=engines[target], user_id=user_id,
                        source_lang=source_lang, target_lang=target, glossary_id=options.get("glossary_id"))
                except TaskError as exc:
                    plan.refused.append({"name": upload.name, "target_lang": target, "code": exc.code,
                                         "detail": str(exc)})
                    continue
                seen[(digest, target)] = quote
            plan.tasks.append(PlannedTask(document=index, upload=upload, target_lang=target, quote=quote))
    return plan


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
