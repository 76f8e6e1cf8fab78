"""Any OpenAI-compatible chat endpoint (hosted APIs or local LLM servers). The model is asked for a
JSON array with exactly one translation per segment; anything else is retried, then refused."""
from __future__ import annotations

import json
import logging
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError
from tasks.engines.http import DEFAULT_LANGUAGES, all_pairs, post_json

logger = logging.getLogger("zhiyi.engines")
MALFORMED_RETRIES = 2
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

SYSTEM_PROMPT = (
    "You are a professional translator. Translate each string of the JSON array the user sends "
    "from {source} to {target}. Keep every HTML tag (such as <span class=\"x1\">, </span>, "
    "<br class=\"x2\">) exactly as it is and where it belongs in the sentence. Reply with only a JSON "
    "array of {count} strings, the translations in the same order, and nothing else."
)


def parse_translations(content: str, count: int) -> list[str] | None:
    try:
        value = json.loads(_FENCE.sub("", content.strip()))
    except ValueError:
        return None
    if isinstance(value, dict) and len(value) == 1:  # {"translations": [...]}
        value = next(iter(value.values()))
    if isinstance(value, list) and len(value) == count and all(isinstance(v, str) for v in value):
        return value
    return None


class OpenAIEngine(Engine):
    name = "openai"
    label = _("Language model (AI)")
    markup = "html"

    def pairs(self) -> list[tuple[str, str]]:
        return all_pairs(settings.ZHIYI_HTTP_LANGUAGES or DEFAULT_LANGUAGES)

    def availability(self) -> Availability:
        if not settings.ZHIYI_OPENAI_URL or not settings.ZHIYI_OPENAI_MODEL:
            return Availability(False, _("No language model is connected to this server."),
                                needs="ZHIYI_OPENAI_URL and ZHIYI_OPENAI_MODEL")
        return Availability(True)

    @property
    def batch_chars(self) -> int:
        return min(super().batch_chars, 3000)  # keep answers well inside a model's output limit

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        base = settings.ZHIYI_OPENAI_URL.rstrip("/")
        url = base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")
        key = settings.ZHIYI_OPENAI_KEY
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        payload = {
            "model": settings.ZHIYI_OPENAI_MODEL,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT.format(source=source, target=target, count=len(segments))},
                {"role": "user", "content": json.dumps(segments, ensure_ascii=False)},
            ],
        }
        for attempt in range(MALFORMED_RETRIES + 1):
            answer = post_json(url, payload=payload, headers=headers, label=_("The LLM endpoint"), secrets=(key,))
            try:
                content = answer["choices"][0]["message"]["content"]
            except (KeyError, IndexError, TypeError):
                content = None
            result = parse_translations(content, len(segments)) if isinstance(content, str) else None
            if result is not None:
                return result
            logger.warning("LLM answer malformed (attempt %d of %d)", attempt + 1, MALFORMED_RETRIES + 1)
        raise EngineError(_("The model did not return one translation per segment (%(expected)s expected) after "
                            "%(tries)s tries."), params={"expected": len(segments), "tries": MALFORMED_RETRIES + 1})
