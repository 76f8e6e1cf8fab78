"""Apertium: offline rule-based translation (Debian packages `apertium` + a language pair such as
`apertium-eng-spa`). One `apertium` process per batch: the segments travel as HTML paragraphs
(`-f html`), whose tags Apertium passes through as "superblanks", so segment boundaries and
inline placeholders come back exactly where they were."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError

MODES_DIR = Path("/usr/share/apertium/modes")
# Apertium names languages with ISO 639-3 codes; the platform speaks BCP 47.
_ISO3_TO_BCP47 = {
    "eng": "en", "spa": "es", "cat": "ca", "fra": "fr", "por": "pt", "ita": "it", "deu": "de", "glg": "gl",
    "oci": "oc", "arg": "an", "ast": "ast", "eus": "eu", "ron": "ro", "nld": "nl", "afr": "af", "epo": "eo",
    "swe": "sv", "dan": "da", "nob": "nb", "nno": "nn", "isl": "is", "bel": "be", "rus": "ru", "ukr": "uk",
    "pol": "pl", "ces": "cs", "slk": "sk", "hbs": "sh", "bul": "bg", "mkd": "mk", "kaz": "kk", "tat": "tt",
}
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
TIMEOUT_S = 600


def _bcp47(code: str) -> str | None:
    language, _, region = code.partition("_")
    base = _ISO3_TO_BCP47.get(language)
    if base is None:
        return None
    return f"{base}-{region}" if region else base


@functools.lru_cache(maxsize=1)
def installed_modes() -> dict[tuple[str, str], str]:
    """(source, target) in BCP 47 → Apertium mode name, read from the installed mode files."""
    modes: dict[tuple[str, str], str] = {}
    if not MODES_DIR.is_dir():
        return modes
    for path in sorted(MODES_DIR.glob("*.mode")):
        source, sep, target = path.stem.partition("-")
        if not sep or "-" in target:  # debugging modes like eng-spa-tagger
            continue
        pair = (_bcp47(source), _bcp47(target))
        if None not in pair:
            modes.setdefault(pair, path.stem)  # type: ignore[arg-type]
    return modes


class ApertiumEngine(Engine):
    name = "apertium"
    label = _("Apertium (rule-based)")
    markup = "html"

    def pairs(self) -> list[tuple[str, str]]:
        return list(installed_modes())

    def availability(self) -> Availability:
        if shutil.which("apertium") is None:
            return Availability(False, _("Apertium is not installed on this server."),
                                needs="Debian package apertium")
        if not installed_modes():
            return Availability(False, _("No Apertium language pair is installed on this server."),
                                needs="a Debian package apertium-<pair>, e.g. apertium-eng-spa")
        return Availability(True)

    @property
    def batch_chars(self) -> int:
        # Each batch starts a 13-process pipeline that loads its transducers (~0.2 s wall) and
        # then fills and drains stage by stage, so batches are large (ZHIYI_APERTIUM_BATCH_CHARS,
        # 200,000 characters: a few seconds of translation, well inside the heartbeat's window).
        # Progress and the translation memory still move per batch.
        return settings.ZHIYI_APERTIUM_BATCH_CHARS

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        mode = installed_modes().get((source, target))
        if mode is None:
            raise EngineError(_("Apertium has no %(source)s → %(target)s pair installed."),
                              params={"source": source, "target": target})
        payload = "".join(f"<p>{segment}</p>\n" for segment in segments)
        try:
            done = subprocess.run(["apertium", "-u", "-f", "html", mode], input=payload.encode("utf-8"),
                                  capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise EngineError(_("Apertium did not finish in time."), retryable=True) from None
        if done.returncode != 0:
            raise EngineError(_("Apertium failed: %(detail)s"),
                              params={"detail": done.stderr.decode("utf-8", "replace").strip()[:200]})
        out = _PARAGRAPH.findall(done.stdout.decode("utf-8", "replace"))
        if len(out) != len(segments):
            raise EngineError(_("Apertium returned %(returned)s segments for %(sent)s."),
                              params={"returned": len(out), "sent": len(segments)})
        return [s.strip() for s in out]
