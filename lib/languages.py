"""Language names as people read them, in the reader's language ("English → Spanish",
"简体中文 → 繁體中文"), for the codes engines use (BCP 47: `zh-Hans`, `pt-BR`...)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAMES = {
    "ar": _("Arabic"),
    "de": _("German"),
    "en": _("English"),
    "en-GB": _("English (UK)"),
    "en-US": _("English (US)"),
    "es": _("Spanish"),
    "fr": _("French"),
    "it": _("Italian"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "nl": _("Dutch"),
    "pl": _("Polish"),
    "pt": _("Portuguese"),
    "pt-BR": _("Portuguese (Brazil)"),
    "pt-PT": _("Portuguese (Portugal)"),
    "ru": _("Russian"),
    "uk": _("Ukrainian"),
    "ca": _("Catalan"),
    "gl": _("Galician"),
    "eu": _("Basque"),
    "oc": _("Occitan"),
    "zh": _("Chinese"),
    "zh-Hans": _("Chinese (Simplified)"),
    "zh-Hant": _("Chinese (Traditional)"),
    "zh-TW": _("Chinese (Taiwan)"),
    "zh-HK": _("Chinese (Hong Kong)"),
}
_FOLDED = {code.lower(): name for code, name in NAMES.items()}


def language_name(code: str) -> str:
    """The name of `code` in the active language; an unknown code is shown as it is."""
    name = _FOLDED.get((code or "").lower())
    return str(name) if name is not None else code


def language_names() -> dict[str, str]:
    """Every known code → name, in the active language (for page scripts)."""
    return {code: str(name) for code, name in NAMES.items()}
