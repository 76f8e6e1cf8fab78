"""DeepL through its official Python package (text translation of segments, HTML tag handling)."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError

SOURCES = ["ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hu", "id", "it", "ja", "ko", "lt",
           "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk", "zh-Hans", "zh-Hant"]
TARGETS = [*SOURCES, "en-GB", "en-US", "pt-BR", "pt-PT"]
# DeepL's codes: sources are plain languages; English and Portuguese targets need a variant.
_SOURCE_CODES = {"zh-Hans": "ZH", "zh-Hant": "ZH"}
_TARGET_CODES = {"en": "EN-US", "pt": "PT-PT", "zh-Hans": "ZH-HANS", "zh-Hant": "ZH-HANT"}


class DeepLEngine(Engine):
    name = "deepl"
    label = _("DeepL")
    markup = "html"

    def pairs(self) -> list[tuple[str, str]]:
        return [(s, t) for s in SOURCES for t in TARGETS if t.split("-")[0] != s.split("-")[0]]

    def availability(self) -> Availability:
        if not settings.ZHIYI_DEEPL_KEY:
            return Availability(False, _("This server has no DeepL account set up."), needs="ZHIYI_DEEPL_KEY")
        try:
            import deepl  # noqa: F401
        except ImportError:
            return Availability(False, _("DeepL is not installed on this server."), needs="pip: deepl")
        return Availability(True)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        import deepl

        # The SDK retries 429/5xx itself (its own exponential backoff; it does not read
        # Retry-After); these module-level knobs are the only way to set its retries and timeout.
        deepl.http_client.max_network_retries = settings.ZHIYI_HTTP_RETRIES
        deepl.http_client.min_connection_timeout = settings.ZHIYI_HTTP_TIMEOUT_S
        translator = deepl.Translator(settings.ZHIYI_DEEPL_KEY, server_url=settings.ZHIYI_DEEPL_URL or None,
                                      send_platform_info=False)
        try:
            results = translator.translate_text(
                segments, source_lang=_SOURCE_CODES.get(source, source.upper()),
                target_lang=_TARGET_CODES.get(target, target.upper()), tag_handling="html",
                formality=self.options.get("formality") or "default")
        except deepl.AuthorizationException:
            raise EngineError(_("DeepL refused the API key.")) from None
        except deepl.QuotaExceededException:
            raise EngineError(_("The DeepL quota is used up.")) from None
        except deepl.TooManyRequestsException:
            raise EngineError(_("DeepL is rate-limiting requests; try again later."), retryable=True) from None
        except deepl.DeepLException as exc:
            message = str(exc).replace(settings.ZHIYI_DEEPL_KEY, "***")
            raise EngineError(_("DeepL could not translate: %(detail)s"), retryable=True,
                              params={"detail": message[:200]}) from None
        texts = [r.text for r in (results if isinstance(results, list) else [results])]
        if len(texts) != len(segments):
            raise EngineError(_("DeepL returned %(returned)s translations for %(sent)s segments."),
                              params={"returned": len(texts), "sent": len(segments)})
        return texts
