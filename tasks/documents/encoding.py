"""Text encodings of the text formats (txt, md, html, srt, vtt, po, and later XLIFF, resource
files): what the upload is written in, and writing the translation back in it.

`decode` reads, in order: a byte-order mark; UTF-16 without one (NULs at every other byte); an
encoding the file declares (HTML `<meta charset>`, a PO header) when the bytes agree with it;
strict UTF-8; else charset-normalizer's guess. A guess is taken only when it is clear: when the
likely encodings decode to different text and the letters of the detected language do not
single one out, the file is refused (`ambiguous_encoding`) rather than turned into mojibake.

`Document.encode_output` (base.py) writes the input's encoding back (its BOM too) unless the
translation has characters that encoding cannot hold; then the output is UTF-8, with a note.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tasks.documents.base import DocumentError

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels the web and gettext use, and the codec that really decodes them (WHATWG: latin1 and
# ascii mean windows-1252; gb2312 means GBK, whose superset is GB18030).
_SUPERSETS = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "ascii": "windows-1252",
              "us-ascii": "windows-1252", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932",
              "euc-kr": "cp949", "iso-8859-9": "windows-1254"}
_NEAR = 0.02  # guesses this close to the best one in "chaos" are weighed against it
_CLEAR = 0.05  # how far ahead the chosen guess must be
# The encodings legacy files are really written in: between guesses that decode alike but for
# a symbol or two, these win (ISO-8859-15 and WINDOWS-1252 differ in € and ¤).
_USUAL = {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gb18030",
          "big5", "cp932", "cp949", "euc_jp", "koi8_r", "cp874", "utf_8"}
_C1 = re.compile("[\x80-\x9f]")
# The most frequent Chinese characters (Simplified and Traditional): in a short file they tell
# GB18030 from Big5 and from CJK mojibake, where the statistics have too little to go on.
_COMMON_HAN = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
    "這個們來為國說時會對於著過發後裡種經麼學現當沒動還進樣文字简体繁體语語言"
)
_WORD = re.compile(r"[^\W\d_]+")
_HAN = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, normalised: "utf-8", "windows-1252", "utf-16-le", "gb18030"
    bom: bytes = b""

    @property
    def label(self) -> str:
        """The name people know it by (GB18030, WINDOWS-1252, UTF-16LE)."""
        return self.encoding.upper().replace("UTF-16-", "UTF-16").replace("UTF-32-", "UTF-32")


def normalise(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return ""
    canonical = {"cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251",
                 "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1255": "windows-1255",
                 "cp1256": "windows-1256", "cp1257": "windows-1257", "cp1258": "windows-1258",
                 "big5hkscs": "big5-hkscs"}.get(canonical, canonical)
    return re.sub(r"^iso8859-", "iso-8859-", canonical.replace("_", "-"))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.3 * pairs and (odd if encoding == "utf-16-be" else even) < 0.05 * pairs:
            return encoding
    return None


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding)
            if text is None:
                raise DocumentError(_("The file starts like %(encoding)s but cannot be decoded as it."),
                                    params={"encoding": encoding.upper()}, code="undecodable_text")
            return Decoded(text, encoding, bom)
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        text = _strict(data, wide) if wide else None
        if text is None:
            raise DocumentError(_("This looks like a binary file, not text."), code="undecodable_text")
        return Decoded(text, wide)  # type: ignore[arg-type]
    if declared:
        encoding = normalise(_SUPERSETS.get(declared.lower(), declared))
        text = _strict(data, encoding) if encoding else None
        if text is not None and (encoding != "windows-1252" or _strict(data, "utf-8") is None):
            return Decoded(text, encoding)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    return _guess(data)


def _language_fit(text: str, language: str) -> float:
    """-1..1: how many of the text's non-ASCII letters belong to `language`'s common letters."""
    from charset_normalizer.constant import FREQUENCIES

    common = set(FREQUENCIES.get(language, ()))
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not common or not letters:
        return 0.0
    inside = sum(ch.lower() in common for ch in letters)
    return (2 * inside - len(letters)) / len(letters)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA")) else name.split(" ", 1)[0]


def _mixed_words(text: str) -> float:
    """The share of words with non-ASCII letters that mix scripts ("Straكe", "cafй"): mojibake."""
    words = [w for w in _WORD.findall(text) if any(ord(ch) > 127 for ch in w)]
    if not words:
        return 0.0
    mixed = sum(len({_script(ch) for ch in w if ch.isalpha()}) > 1 for w in words)
    return mixed / len(words)


def _halfwidth_kana(text: str) -> float:
    """The share of letters that are half-width katakana: Shift_JIS mojibake of Cyrillic or
    Latin bytes looks like that, real Japanese text almost never does."""
    letters = [ch for ch in text if ch.isalpha() and ord(ch) > 127]
    return sum("\uff66" <= ch <= "\uff9d" for ch in letters) / len(letters) if letters else 0.0


def _guess(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise DocumentError(_("The text's encoding could not be recognised. Save it as UTF-8 and upload it "
                              "again."), code="undecodable_text")
    language = best.language
    options: dict[str, tuple[float, str]] = {}  # text → (score, encoding)
    for match in results:
        if match.chaos > best.chaos + _NEAR:
            continue
        text = str(match)
        score = match.coherence - match.chaos + 0.5 * _language_fit(text, language)
        score += 0.1 * (match.encoding in _USUAL) + 0.05 * (match.encoding == "cp1252")
        score -= (1.0 if _C1.search(text) else 0.0) + 2.0 * _mixed_words(text) + _halfwidth_kana(text)
        han = _HAN.findall(text)
        if han:
            score += sum(ch in _COMMON_HAN for ch in han) / len(han)
        if match.encoding.startswith("utf_16") or match.encoding.startswith("utf_32"):
            score -= 0.5  # UTF-16 without a BOM and without NULs: almost never the truth
        if text not in options or score > options[text][0]:
            options[text] = (score, match.encoding)
    ranked = sorted(options.items(), key=lambda item: item[1][0], reverse=True)
    if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < _CLEAR:
        names = ", ".join(normalise(enc).upper() for _text, (_score, enc) in ranked[:3])
        raise DocumentError(_("The text's encoding is not clear (it could be %(names)s). Save it as UTF-8 and "
                              "upload it again."), params={"names": names}, code="ambiguous_encoding")
    text, (_score, encoding) = ranked[0]
    return Decoded(text, normalise(encoding))


def sniff(data: bytes, *, declared: str | None = None) -> str | None:
    """The text, or None when the bytes are not text we can read (for format sniffing)."""
    try:
        return decode(data, declared=declared).text
    except DocumentError:
        return None


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""")


def xml_declared(data: bytes) -> str | None:
    """The encoding an XML declaration names (for the XML-based formats)."""
    match = _XML_ENCODING.match(data[:200])
    return match.group(1).decode("ascii") if match else None
