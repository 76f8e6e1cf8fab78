"""The faces translated PDF text is set in: one that holds the target's script, read with
fontTools (widths for wrapping, ascent for placing) and embedded as a subset of the characters
the translation uses, so a CJK translation adds tens of kilobytes, not the font's megabytes.

Debian's fonts: DejaVu Sans (Latin, Greek, Cyrillic; fonts-dejavu-core) and WenQuanYi Micro Hei
(CJK with Latin; fonts-wqy-microhei). ZHIYI_PDF_FONTS may name others
("latin bold:/path/Font-Bold.ttf,cjk:/path/Font.ttc#1,…"); a style without a face of its own
(CJK bold) is set in the script's regular face."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache, cached_property

from django.conf import settings

_DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans"
DEFAULT_FONTS = {
    "latin": f"{_DEJAVU}.ttf",
    "latin bold": f"{_DEJAVU}-Bold.ttf",
    "latin italic": f"{_DEJAVU}-Oblique.ttf",
    "latin bold italic": f"{_DEJAVU}-BoldOblique.ttf",
    "cjk": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
}
_CJK_TEXT = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_CJK_LANGS = ("zh", "ja", "ko")


class FontMissing(RuntimeError):
    pass


@dataclass
class Face:
    path: str
    index: int
    characters: str

    @cached_property
    def _font(self):  # type: ignore[no-untyped-def]
        return _load(self.path, self.index)

    @cached_property
    def _advances(self) -> tuple[dict[str, int], int, int]:
        """Advance widths (font units) of the characters it will set, the width of one it lacks,
        and units per em."""
        font = self._font
        cmap, metrics, units = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
        advances = {c: metrics[cmap[ord(c)]][0] for c in self.characters + " " if ord(c) in cmap}
        return advances, metrics.get(".notdef", (units // 2, 0))[0], units

    def width(self, text: str, size: float) -> float:
        advances, missing, units = self._advances
        return sum(advances.get(c, missing) for c in text) * size / units

    @property
    def ascent_ratio(self) -> float:
        font = self._font
        return font["hhea"].ascent / font["head"].unitsPerEm

    @property
    def height_ratio(self) -> float:
        font = self._font
        return (font["hhea"].ascent - font["hhea"].descent) / font["head"].unitsPerEm

    @cached_property
    def subset_bytes(self) -> bytes:
        import logging

        from fontTools import subset

        logging.getLogger("fontTools").setLevel(logging.ERROR)  # it logs every table, and tables it drops

        font = _load(self.path, self.index, lazy=True)  # a fresh copy: subsetting changes it
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.layout_features = []  # glyphs are placed one by one; no shaping tables needed
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=self.characters + " ")
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


def _load(path: str, index: int, *, lazy: bool | None = None):  # type: ignore[no-untyped-def]
    from fontTools.ttLib import TTFont

    try:
        return TTFont(path, fontNumber=index, lazy=lazy)
    except FileNotFoundError:
        raise FontMissing(path) from None


@cache
def _configured() -> dict[str, tuple[str, int]]:
    fonts = dict(DEFAULT_FONTS)
    for item in filter(None, (getattr(settings, "ZHIYI_PDF_FONTS", "") or "").split(",")):
        script, _, path = item.partition(":")
        fonts[script.strip()] = path.strip()
    out = {}
    for script, spec in fonts.items():
        path, _, index = spec.partition("#")
        out[script] = (path, int(index or 0))
    return out


def faces_for(target_lang: str, texts: dict[str, str]) -> dict[str, Face]:
    """The face for each style ("", "bold", …) of a translation into `target_lang`, given the
    text set in each; styles that fall back to one font share one face (one embedded subset)."""
    every = "".join(texts.values())
    script = "cjk" if target_lang.split("-")[0].lower() in _CJK_LANGS or _CJK_TEXT.search(every) else "latin"
    fonts = _configured()
    chosen = {style: fonts.get(f"{script} {style}".strip(), fonts[script]) for style in texts}
    characters: dict[tuple[str, int], set[str]] = {}
    for style, font in chosen.items():
        characters.setdefault(font, set()).update(texts[style])
    faces = {font: Face(font[0], font[1], "".join(sorted(chars))) for font, chars in characters.items()}
    return {style: faces[font] for style, font in chosen.items()}
