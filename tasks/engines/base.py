"""The translation-engine interface.

An engine translates a batch of whole segments: `translate(segments, source, target)` returns
one translation per segment, in order. It declares the language pairs it serves and whether it
can run here (`availability()`: binary installed, key set), with a reason a person can read.
Prices are per 1,000 billed characters, from settings (ZHIYI_RATES).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.utils.functional import Promise

from lib.messages import ReadableError
from tasks.pricing import rate_for


class EngineError(ReadableError):
    """The engine could not translate. The message is shown to the user: keep it clear and
    free of secrets, translatable, with its `params` apart (lib/messages.py). `retryable` says
    whether a later attempt may succeed."""

    def __init__(self, message: Any, *, retryable: bool = False, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, params=params)
        self.retryable = retryable


@dataclass(frozen=True)
class Availability:
    """`reason` is for the user, translated, and names no setting; `needs` tells staff what to
    configure (a setting or a package), shown in admin and the docs, never to users."""

    available: bool
    reason: str = ""
    needs: str = ""


class Engine:
    name: ClassVar[str]
    label: ClassVar[str | Promise]  # translatable: str() it in the reader's language
    # Asynchronous engines submit the whole document and finish through the webhook.
    asynchronous: ClassVar[bool] = False
    # "html": the engine translates HTML fragments and keeps tags in place, so inline formatting
    # placeholders and glossary terms travel as tags. "": plain text (character converters).
    markup: ClassVar[str] = ""

    def __init__(self, options: dict | None = None) -> None:
        # Per-task choices an engine may honour (e.g. DeepL's formality); unknown ones are ignored.
        self.options = options or {}

    def pairs(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def availability(self) -> Availability:
        return Availability(True)

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in set(self.pairs())

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        raise NotImplementedError

    @property
    def rate_per_1000(self) -> int:
        return rate_for(self.name)

    @property
    def batch_chars(self) -> int:
        """Characters per `translate` call; the pipeline batches whole segments up to this."""
        return settings.ZHIYI_BATCH_CHARS
