"""Source language detection for `source_lang=auto`: py3langid (langid.py's model, bundled in the
package: nothing is downloaded at run time), per document, on the text the engine would see.

Chinese is told apart by script, not by language: the detector's Chinese labels (Mandarin, Wu,
Cantonese, Classical…) are counted together, and OpenCC tells Simplified (`zh-Hans`: characters
that Simplified→Traditional would change) from Traditional (`zh-Hant`). A document whose language
is not clear enough (ZHIYI_DETECT_MIN_CONFIDENCE), or whose Chinese script cannot be told, has no
detected language: the quote refuses it (`language_not_detected`), nothing is charged."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

AUTO = "auto"
SAMPLE_CHARS = 4000  # of the document's text: enough to be sure, bounded in time
CHINESE = {"zh", "wuu", "yue", "lzh", "gan", "hak", "cdo", "nan"}
_PLACEHOLDER = re.compile(r"</?\d+/?>")
_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    language: str | None  # an engine's code (`en`, `zh-Hans`), or None: not told
    confidence: float  # 0–1, the detector's normalised probability of that language
    label: str = ""  # what the detector said (`en`, `zh`…)


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    """Loaded once per process (about 3 s: the model has 142 languages)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _converters():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def _chinese_script(text: str) -> str | None:
    s2t, t2s = _converters()
    simplified = sum(a != b for a, b in zip(text, s2t.convert(text)))
    traditional = sum(a != b for a, b in zip(text, t2s.convert(text)))
    if simplified == traditional:
        return None  # only characters both scripts share: the script cannot be told
    return "zh-Hans" if simplified > traditional else "zh-Hant"


def sample(segments: list[str]) -> str:
    text = _PLACEHOLDER.sub(" ", "\n".join(segments))
    return text[:SAMPLE_CHARS]


def detect_language(text: str) -> Detection:
    text = text.strip()
    if not text:
        return Detection(None, 0.0)
    with _lock:  # the identifier keeps no state per call, but its first load must happen once
        ranking = _identifier().rank(text)
    scores: dict[str, float] = {}
    for label, probability in ranking:
        key = "zh" if label in CHINESE else label
        scores[key] = scores.get(key, 0.0) + float(probability)
    label, confidence = max(scores.items(), key=lambda item: item[1])
    if confidence < settings.ZHIYI_DETECT_MIN_CONFIDENCE:
        return Detection(None, confidence, label)
    if label == "zh":
        return Detection(_chinese_script(text), confidence, label)
    return Detection(label, confidence, label)
