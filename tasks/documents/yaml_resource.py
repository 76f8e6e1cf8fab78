"""YAML resource files (Rails i18n, Symfony, Hugo, Flutter's ARB-like YAML): every string value
is a message, keys never are. Read and written with ruamel.yaml's round-trip mode, so comments,
anchors and aliases, quoting styles, block scalars and flow lists come back as they were. An
anchored value is translated once and its aliases follow it. A Rails-style file, whose one root
key is its locale (`en:`), gets the target's code as that key. Aliases are walked once, so an
"alias bomb" costs no more than its text."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString

from tasks.documents.base import Document, DocumentError, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.resource import protect, restored_text, worth_translating

_LOCALE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line the file did not fold
    return yaml


def _load(text: str) -> Any:
    try:
        return _yaml().load(text)
    except (YAMLError, ValueError, RecursionError) as exc:
        raise DocumentError(_("This YAML file cannot be read: %(reason)s"), params={"reason": str(exc)[:300]},
                            code="corrupt_document") from None


def string_slots(data: Any) -> Iterator[tuple[Any, Any, str]]:
    """(container, key or index, value) for each string value to translate, each anchored
    value and each container once."""
    seen: set[int] = set()

    def walk(node: Any) -> Iterator[tuple[Any, Any, str]]:
        if id(node) in seen:
            return
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, (dict, list)):
                yield from walk(value)
            elif isinstance(value, str) and worth_translating(value):
                anchor = getattr(value, "anchor", None)
                if anchor is not None and anchor.value:
                    if id(value) in seen:
                        continue
                    seen.add(id(value))
                yield node, key, value

    yield from walk(data)


def locale_root(data: Any) -> str | None:
    if isinstance(data, dict) and len(data) == 1:
        key = next(iter(data))
        if isinstance(key, str) and _LOCALE.match(key) and isinstance(data[key], dict):
            return key
    return None


class YamlDocument(Document):
    def __init__(self, text: str) -> None:
        self.text = text
        data = _load(text)
        self.inlines = [protect(value) for _node, _key, value in string_slots(data)]
        super().__init__([inline.segment for inline in self.inlines])

    def build(self, translations: list[str], *, bilingual: bool = False, target_lang: str = "") -> bytes:
        if len(translations) != len(self.segments):
            raise ValueError("one translation per segment expected")
        data = _load(self.text)  # a fresh copy: build may run more than once
        self.fallbacks = 0
        replaced: dict[int, Any] = {}
        for (node, key, value), inline, translated in zip(string_slots(data), self.inlines, translations):
            text, intact = restored_text(translated, inline)
            self.fallbacks += not intact
            if value.endswith("\n") and not text.endswith("\n"):
                text += "\n"  # a block scalar keeps its final line break
            new = type(value)(text) if isinstance(value, ScalarString) else text
            anchor = getattr(value, "anchor", None)
            if anchor is not None and anchor.value:
                new.yaml_set_anchor(anchor.value, always_dump=True)
                replaced[id(value)] = new
            node[key] = new
        if replaced:
            _follow_aliases(data, replaced)
        root = locale_root(data)
        if root and target_lang:
            data.insert(0, target_lang, data.pop(root))
        out = io.StringIO()
        _yaml().dump(data, out)
        return self.encode_output(out.getvalue())


def _follow_aliases(data: Any, replaced: dict[int, Any]) -> None:
    """Aliases of a translated anchored value point at its translation."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, (dict, list)):
                stack.append(value)
            elif id(value) in replaced and node[key] is value:
                node[key] = replaced[id(value)]


class YamlHandler(DocumentHandler):
    format = "yaml"
    label = gettext_lazy("YAML resource file")
    extensions = ("yaml", "yml", "ryml")  # .ryml: Weblate's name for Ruby YAML
    output = Output("yaml", "application/yaml")
    kept = gettext_lazy("Keys, comments, anchors and aliases, quoting and block styles; placeholders such as "
                        "%{count}; a Rails locale root key becomes the target language.")

    def sniff(self, data: bytes) -> bool:
        return sniff(data) is not None

    def parse(self, data: bytes) -> YamlDocument:
        decoded = decode(data)
        document = YamlDocument(decoded.text.removeprefix("\ufeff"))
        document.source_encoding = decoded
        return document
