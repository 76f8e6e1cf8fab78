"""OpenCC: offline conversion between Simplified and Traditional Chinese (the `opencc` wheel)."""
from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError

# (source, target) -> OpenCC configuration. Phrase-level variants (Taiwan, Hong Kong idioms).
CONFIGS: dict[tuple[str, str], str] = {
    ("zh-Hans", "zh-Hant"): "s2t",
    ("zh-Hans", "zh-TW"): "s2twp",
    ("zh-Hans", "zh-HK"): "s2hk",
    ("zh-Hant", "zh-Hans"): "t2s",
    ("zh-Hant", "zh-TW"): "t2tw",
    ("zh-Hant", "zh-HK"): "t2hk",
    ("zh-TW", "zh-Hans"): "tw2sp",
    ("zh-TW", "zh-Hant"): "tw2t",
    ("zh-HK", "zh-Hans"): "hk2s",
    ("zh-HK", "zh-Hant"): "hk2t",
}


@functools.cache
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


class OpenCCEngine(Engine):
    name = "opencc"
    label = _("OpenCC (Simplified ↔ Traditional Chinese)")

    def pairs(self) -> list[tuple[str, str]]:
        return list(CONFIGS)

    def availability(self) -> Availability:
        try:
            import opencc  # noqa: F401
        except ImportError:
            return Availability(False, _("OpenCC is not installed on this server."), needs="pip: opencc")
        return Availability(True)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        try:
            config = CONFIGS[(source, target)]
        except KeyError:
            raise EngineError(_("OpenCC does not convert %(source)s to %(target)s."),
                              params={"source": source, "target": target}) from None
        convert = _converter(config).convert
        return [convert(s) for s in segments]
