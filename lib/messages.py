"""Words for people, stored as a message code with parameters and rendered when read.

A service or the worker records `("translating", {"done": 3, "total": 10})`, never an English
sentence; a page, the API or a stream renders it in the reader's language (the active language)
from the owning app's catalogue. A code the catalogue does not know (a free text from an
external engine, a row older than its code) falls back to the `text` parameter.

Counts: a template made with `ngettext_lazy(singular, plural, "<count parameter>")` takes the
plural form the reader's language wants for that parameter ("1 point", "2 points"). Numbers are
grouped (1,234); parameters named in `languages` are language codes shown by name ("English"),
those named in `dates` ISO times shown in the active time zone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from lib.languages import language_name

TEXT = "text"  # the code of a message that is only its `text` parameter
LANGUAGE_PARAMS = ("source", "target")


class _Count(int):
    """An integer parameter: chooses the plural form as a number, reads as a grouped number."""

    def __str__(self) -> str:
        return f"{int(self):,}"  # both languages served group by thousands with a comma


class _Placeholder(int):
    """A count that reads as its own `%(name)s` placeholder: picks a plural form for scripts."""

    def __new__(cls, value: int, name: str) -> _Placeholder:
        obj = super().__new__(cls, value)
        obj.name = name  # type: ignore[attr-defined]
        return obj

    def __str__(self) -> str:
        return f"%({self.name})s"  # type: ignore[attr-defined]


class _Params(dict):
    """Parameters as a template sees them; a missing one shown empty rather than a placeholder
    leaking to the reader."""

    def __missing__(self, key: str) -> str:
        return ""


class _Kept(dict):
    def __missing__(self, key: str) -> str:
        return f"%({key})s"


def _date(value: Any) -> Any:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {moment:%Z}".strip()


def _shown(name: str, value: Any, *, languages: Iterable[str] = LANGUAGE_PARAMS, dates: Iterable[str] = ()) -> Any:
    """A parameter as the reader sees it: a kept sentence rendered, a language code by its name,
    a date in the reader's zone, a count grouped (and able to choose a plural form)."""
    if isinstance(value, Mapping):  # a kept sentence (an error) inside a message
        return render_kept(value)
    if name in languages and isinstance(value, str):
        return language_name(value)
    if name in dates and value:
        return _date(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return _Count(value)


def _filled(template: str, params: Mapping[str, Any], *, fallback: str) -> str:
    """`template` with its parameters shown; `fallback` if they do not fit it (a stale row)."""
    if not params:
        return template
    try:
        return template % _Params({k: _shown(k, v) for k, v in params.items()})
    except (KeyError, TypeError, ValueError):
        return fallback


def _count_name(template: Any) -> str | None:
    """The count parameter of an `ngettext_lazy(..., "<name>")` template, else None."""
    # Django's number-aware lazy string names its count key when it is missing; a plain
    # template raises a bare KeyError of its first parameter instead.
    try:
        template % {}
    except KeyError as exc:
        found = re.search(r"lacks key '([^']+)'.*singular or plural", str(exc.args[0]))
        return found.group(1) if found else None
    except (TypeError, ValueError):
        return None
    return None


class Catalogue:
    """An app's messages: code → translatable template with `%(name)s` parameters."""

    def __init__(self, templates: Mapping[str, Promise | str], *, languages: Iterable[str] = LANGUAGE_PARAMS,
                 dates: Iterable[str] = ()) -> None:
        self.templates = dict(templates)
        self.languages = frozenset(languages)
        self.dates = frozenset(dates)

    def _shown(self, name: str, value: Any) -> Any:
        return _shown(name, value, languages=self.languages, dates=self.dates)

    def render(self, code: str, params: Mapping[str, Any] | None = None) -> str:
        params = params or {}
        template = self.templates.get(code)
        if template is None:
            return str(params.get("text", code))
        try:
            return str(template % _Params({k: self._shown(k, v) for k, v in params.items()}))
        except (KeyError, TypeError, ValueError):
            return str(params.get("text") or code)

    def templates_for_scripts(self) -> dict[str, Any]:
        """The templates in the active language, for page scripts that render live events: a
        plain string, or for a count {"count": name, "one": ..., "other": ...}."""
        out: dict[str, Any] = {}
        for code, template in self.templates.items():
            count = _count_name(template)
            if count is None:
                out[code] = str(template)
            else:
                out[code] = {"count": count,
                             "one": str(template % _Kept({count: _Placeholder(1, count)})),
                             "other": str(template % _Kept({count: _Placeholder(2, count)}))}
        return out


# Sentences raised as errors (a document handler's, an engine's) that a person may read later,
# in another language than the one active when they were raised: the worker keeps each as its
# source text (the msgid) and parameters, and the reader's language renders it when shown.

def _kept_param(value: Any) -> Any:
    if isinstance(value, Promise):  # a translatable label inside the sentence ("Word document")
        with translation.override(None):
            return {"msgid": str(value)}
    return value if isinstance(value, int | float) else str(value)


def keep(template: Any, params: Mapping[str, Any] | None = None) -> dict:
    """What to store of a sentence: {"msgid": its source text, "params": ...} (JSON)."""
    with translation.override(None):  # no catalogue active: a lazy template gives its msgid
        msgid = str(template)
    return {"msgid": msgid, "params": {k: _kept_param(v) for k, v in (params or {}).items()}}


def render_kept(kept: Any) -> str:
    """A kept sentence in the active language; free text (an external engine's) as it is."""
    if not isinstance(kept, Mapping):
        return str(kept or "")
    msgid = kept.get("msgid")
    if not msgid:
        return str(kept.get("text", ""))
    params = kept.get("params") or {}
    # A translation that does not fit its parameters (edited since) falls back to the source text.
    return _filled(translation.gettext(msgid), params, fallback=_filled(msgid, params, fallback=msgid))


class ReadableError(Exception):
    """An error a person reads: a translatable template and its parameters. `str()` renders it in
    the active language; `kept()` is what to store for a reader in another language later."""

    def __init__(self, message: Any, *, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.template = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return _filled(str(self.template), self.params, fallback=str(self.template))

    def kept(self) -> dict:
        return keep(self.template, self.params)
