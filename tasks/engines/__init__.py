"""Translation engines, by name. Which are offered is set by ZHIYI_ENGINES."""
from __future__ import annotations

from django.conf import settings

from tasks.engines.apertium import ApertiumEngine
from tasks.engines.base import Availability, Engine, EngineError
from tasks.engines.deepl import DeepLEngine
from tasks.engines.external import ExternalEngine
from tasks.engines.libretranslate import LibreTranslateEngine
from tasks.engines.openai import OpenAIEngine
from tasks.engines.opencc import OpenCCEngine

_ALL: dict[str, type[Engine]] = {
    cls.name: cls
    for cls in (OpenCCEngine, ApertiumEngine, LibreTranslateEngine, OpenAIEngine, DeepLEngine, ExternalEngine)
}

__all__ = ["Availability", "Engine", "EngineError", "UnknownEngine", "all_engines", "catalogue", "get_engine", "label_of"]


class UnknownEngine(LookupError):
    pass


def all_engines() -> list[Engine]:
    return [_ALL[name]() for name in settings.ZHIYI_ENGINES if name in _ALL]


def get_engine(name: str, options: dict | None = None) -> Engine:
    if name not in settings.ZHIYI_ENGINES or name not in _ALL:
        raise UnknownEngine(name)
    return _ALL[name](options)


def label_of(name: str) -> str:
    """An engine's name as people read it, in the active language (any engine ever offered)."""
    cls = _ALL.get(name)
    return str(cls.label) if cls is not None else name


def catalogue() -> list[dict]:
    """Every offered engine as people and clients see it (the API's engine list, the upload form)."""
    out = []
    for engine in all_engines():
        availability = engine.availability()
        out.append({"name": engine.name, "label": str(engine.label), "available": availability.available,
                    "reason": str(availability.reason), "needs": availability.needs, "rate_per_1000": engine.rate_per_1000,
                    "asynchronous": engine.asynchronous,
                    "pairs": [list(p) for p in engine.pairs()] if availability.available else []})
    return out
