"""Words for people, stored as a message code with parameters and rendered when read.

A service or the worker records `("translating", {"done": 3, "total": 10})`, never an English
sentence; a page, the API or a stream renders it in the reader's language (the active language)
from the owning app's catalogue. A code the catalogue does not know (a free text from an
external engine, a row older than its code) falls back to the `text` parameter.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise

TEXT = "text"  # the code of a message that is only its `text` parameter


class _Params(dict):
    """Parameters as a template sees them: counts grouped (1,234), a missing one shown empty
    rather than a placeholder leaking to the reader."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return f"{value:,}"


class Catalogue:
    """An app's messages: code → translatable template with `%(name)s` parameters."""

    def __init__(self, templates: Mapping[str, Promise | str]) -> None:
        self.templates = dict(templates)

    def render(self, code: str, params: Mapping[str, Any] | None = None) -> str:
        params = params or {}
        template = self.templates.get(code)
        if template is None:
            return str(params.get("text", code))
        try:
            return str(template) % _Params({k: _shown(v) for k, v in params.items()})
        except (TypeError, ValueError):
            return str(params.get("text") or code)

    def templates_for_scripts(self) -> dict[str, str]:
        """The templates in the active language, for page scripts that render live events."""
        return {code: str(template) for code, template in self.templates.items()}
