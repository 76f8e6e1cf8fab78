"""LibreTranslate: a self-hosted HTTP server. POST /translate with `q` as an array."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError
from tasks.engines.http import DEFAULT_LANGUAGES, all_pairs, post_json

# LibreTranslate's own codes where they differ from BCP 47.
_CODES = {"zh-Hans": "zh", "zh-Hant": "zt", "zh-TW": "zt", "zh-HK": "zt"}


class LibreTranslateEngine(Engine):
    name = "libretranslate"
    label = _("LibreTranslate")
    markup = "html"

    def pairs(self) -> list[tuple[str, str]]:
        return all_pairs(settings.ZHIYI_HTTP_LANGUAGES or DEFAULT_LANGUAGES)

    def availability(self) -> Availability:
        if not settings.ZHIYI_LIBRETRANSLATE_URL:
            return Availability(False, _("No LibreTranslate server is connected to this server."),
                                needs="ZHIYI_LIBRETRANSLATE_URL")
        return Availability(True)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        payload = {"q": segments, "source": _CODES.get(source, source), "target": _CODES.get(target, target),
                   "format": "html"}
        key = settings.ZHIYI_LIBRETRANSLATE_KEY
        if key:
            payload["api_key"] = key
        url = settings.ZHIYI_LIBRETRANSLATE_URL.rstrip("/") + "/translate"
        answer = post_json(url, payload=payload, label="LibreTranslate", secrets=(key,))
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            raise EngineError(_("LibreTranslate answered without a list of translations."))
        return translated
