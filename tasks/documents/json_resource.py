"""JSON resource files (i18next, vue-i18n, Chrome/WebExtension `messages.json`, flat or nested):
every string value is a message, keys never are. The file is read as text and only the
values' spans are replaced, so key order, spacing and escapes elsewhere come back as they
were. A top-level `locale` (or `language`) naming a language code gets the target's. In a
WebExtension catalogue only `message` is translated (`description` and `placeholders` are for
translators and code). Values with no words (`"$1"`, a URL) are left."""
from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.documents.base import DocumentError, DocumentHandler, Output
from tasks.documents.encoding import decode, sniff
from tasks.documents.resource import Message, SpanDocument, protect, worth_translating

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)
_MAX_DEPTH = 100
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _load(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DocumentError(_("This JSON file cannot be read: %(reason)s"), params={"reason": exc},
                            code="corrupt_document") from None


def is_webextension(data: object) -> bool:
    return (isinstance(data, dict) and bool(data)
            and all(isinstance(v, dict) and isinstance(v.get("message"), str) for v in data.values()))


def string_values(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, key path) of every string value, in file order (keys left out)."""
    out = []
    stack: list[list[str | None]] = []  # per open container: [kind, current key]
    path: list[str] = []
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        value = token.group(0)
        if value in "{[":
            stack.append([value, None])
            if len(stack) > _MAX_DEPTH:
                raise DocumentError(_("This JSON file is nested too deeply."), code="corrupt_document")
        elif value in "}]":
            stack.pop()
        elif value.startswith('"'):
            following = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
            if stack and stack[-1][0] == "{" and following == ":":
                stack[-1][1] = json.loads(value)
                continue
            path = [str(k) for kind, k in stack if kind == "{" and k is not None]
            out.append((token.start(), token.end(), path))
    return out


class JsonDocument(SpanDocument):
    def __init__(self, text: str) -> None:
        data = _load(text)
        webextension = is_webextension(data)
        self.ascii = text.isascii() and "\\u" in text
        messages, languages = [], []
        for start, end, path in string_values(text):
            if path in (["locale"], ["language"], ["lang"]) and _LANGUAGE.match(json.loads(text[start:end])):
                languages.append((start, end))  # the catalogue's own language: the target's code
                continue
            if webextension and (len(path) != 2 or path[1] != "message"):
                continue
            message = json.loads(text[start:end])
            if worth_translating(message):
                messages.append(Message(start, end, protect(message)))
        super().__init__(text, messages, self._escape, languages)

    def _escape(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ascii)


class JsonHandler(DocumentHandler):
    format = "json"
    label = gettext_lazy("JSON resource file")
    extensions = ("json",)
    output = Output("json", "application/json")
    kept = gettext_lazy("Keys, nesting, order and layout; ICU, i18next and printf placeholders and plurals.")

    def sniff(self, data: bytes) -> bool:
        text = sniff(data)
        return text is not None and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")

    def parse(self, data: bytes) -> JsonDocument:
        decoded = decode(data)
        document = JsonDocument(decoded.text.removeprefix("\ufeff"))
        document.source_encoding = decoded
        return document
