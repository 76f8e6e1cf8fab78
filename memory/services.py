"""Translation memory and glossary services."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lib.messages import ReadableError
from memory.models import Glossary, GlossaryTerm, MemoryEntry

_SPACES = re.compile(r"\s+")
_LOOKUP_CHUNK = 500
MAX_GLOSSARY_TERMS = 5000
MAX_GLOSSARY_BYTES = 2 * 1024 * 1024


class GlossaryError(ReadableError, ValueError):
    code = "invalid_glossary"

    def __init__(self, message: Any, *, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, params=params)
        if code:
            self.code = code


def check_glossary_size(size: int | None) -> None:
    """Refuse a glossary file over the limit before it is read."""
    if size is not None and size > MAX_GLOSSARY_BYTES:
        raise GlossaryError(_("A glossary file may be at most %(mb)d MB."),
                            params={"mb": MAX_GLOSSARY_BYTES // (1024 * 1024)}, code="file_too_large")


def normalise(text: str) -> str:
    """What makes two segments "the same": Unicode NFC, runs of blanks as one space, no edges."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def source_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


class Memory:
    """One user's memory for one engine key and language pair, as the pipeline uses it."""

    def __init__(self, *, user_id: int, engine_key: str, source_lang: str, target_lang: str) -> None:
        self.user_id, self.engine_key = user_id, engine_key
        self.source_lang, self.target_lang = source_lang, target_lang

    def _entries(self):  # type: ignore[no-untyped-def]
        return MemoryEntry.objects.filter(user_id=self.user_id, engine_key=self.engine_key,
                                          source_lang=self.source_lang, target_lang=self.target_lang)

    def lookup(self, sources: Iterable[str]) -> dict[str, str]:
        """Known translations for these source texts (keyed by the text as given)."""
        by_hash: dict[str, list[str]] = {}
        for text in sources:
            by_hash.setdefault(source_hash(text), []).append(text)
        found: dict[str, str] = {}
        hashes = list(by_hash)
        for start in range(0, len(hashes), _LOOKUP_CHUNK):
            chunk = hashes[start:start + _LOOKUP_CHUNK]
            for h, target in self._entries().filter(source_hash__in=chunk).values_list("source_hash", "target_text"):
                for text in by_hash[h]:
                    found[text] = target
        return found

    def store(self, pairs: dict[str, str]) -> None:
        """Remember new translations. Runs after each batch, so work done before a failure is kept."""
        rows = [MemoryEntry(user_id=self.user_id, engine_key=self.engine_key, source_lang=self.source_lang,
                            target_lang=self.target_lang, source_hash=source_hash(s), source_text=normalise(s),
                            target_text=t) for s, t in pairs.items()]
        if rows:
            MemoryEntry.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def clear_memory(*, user_id: int) -> int:
    deleted, _ = MemoryEntry.objects.filter(user_id=user_id).delete()
    return deleted


def parse_glossary_csv(data: bytes) -> list[tuple[str, str]]:
    """Rows of (source term, target term). A header row `source,target` is skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError(_("The glossary must be a UTF-8 CSV file.")) from None
    terms: list[tuple[str, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise GlossaryError(_("Line %(line)s: expected two columns, source term and target term."),
                                params={"line": number})
        source, target = row[0].strip(), row[1].strip()
        if number == 1 and (source.lower(), target.lower()) == ("source", "target"):
            continue
        terms.append((source[:300], target[:300]))
    if not terms:
        raise GlossaryError(_("The glossary has no terms."))
    if len(terms) > MAX_GLOSSARY_TERMS:
        raise GlossaryError(_("A glossary may hold at most %(count)s terms."), params={"count": MAX_GLOSSARY_TERMS})
    return terms


@transaction.atomic
def create_glossary(*, user_id: int, name: str, data: bytes, source_lang: str = "",
                    target_lang: str = "") -> Glossary:
    terms = parse_glossary_csv(data)
    glossary = Glossary.objects.create(user_id=user_id, name=name[:200] or "Glossary",
                                       source_lang=source_lang, target_lang=target_lang)
    GlossaryTerm.objects.bulk_create(GlossaryTerm(glossary=glossary, source=s, target=t) for s, t in terms)
    return glossary


@transaction.atomic
def delete_glossary(*, user_id: int, glossary_id: int) -> bool:
    deleted, _ = Glossary.objects.filter(pk=glossary_id, user_id=user_id).delete()
    return bool(deleted)


def glossary_terms(*, user_id: int, glossary_id: int) -> list[tuple[str, str]]:
    """The terms of one of the user's glossaries; raises GlossaryError for anyone else's."""
    if not Glossary.objects.filter(pk=glossary_id, user_id=user_id).exists():
        raise GlossaryError(_("No such glossary."))
    return list(GlossaryTerm.objects.filter(glossary_id=glossary_id).values_list("source", "target"))


__all__ = [
    "MAX_GLOSSARY_BYTES", "GlossaryError", "Memory", "check_glossary_size", "clear_memory", "create_glossary",
    "delete_glossary", "glossary_terms", "normalise", "parse_glossary_csv", "source_hash",
]
