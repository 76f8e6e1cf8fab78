"""The staff engines page (/admin/operations/engines/): every engine, whether it works here and
what it needs, and "test this engine": one sample sentence translated, the answer or the error."""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from lib.languages import language_name
from tasks import engines

SAMPLES = {
    "en": "The quick brown fox jumps over the lazy dog.",
    "es": "El veloz zorro marrón salta sobre el perro perezoso.",
    "zh-Hans": "这是一个用于测试翻译引擎的句子。",
    "zh-Hant": "這是一個用於測試翻譯引擎的句子。",
}
PREFERRED_PAIRS = [("en", "zh-Hans"), ("zh-Hans", "en"), ("en", "es"), ("zh-Hans", "zh-Hant")]


def sample_pair(pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The pair to test: a common one if the engine has it, else its first with a sample."""
    offered = set(pairs)
    for pair in PREFERRED_PAIRS:
        if pair in offered:
            return pair
    return next(((s, t) for s, t in pairs if s in SAMPLES), pairs[0] if pairs else None)


def try_engine(name: str) -> dict:
    """Translate one sample sentence with `name`; never raises (the error is the answer)."""
    engine = engines.get_engine(name)
    availability = engine.availability()
    if not availability.available:
        return {"ok": False, "error": f"{availability.reason} Needs: {availability.needs}"}
    pair = sample_pair(list(engine.pairs()))
    if pair is None:
        return {"ok": False, "error": "The engine offers no language pair."}
    if engine.asynchronous:
        return {"ok": False, "error": "An asynchronous engine is tested by translating a document."}
    source, target = pair
    sample = SAMPLES.get(source, SAMPLES["en"])
    try:
        answer = engine.translate([sample], source, target)
    except Exception as exc:  # noqa: BLE001 — whatever the engine raised is what staff need to see
        return {"ok": False, "pair": pair, "sample": sample, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "pair": pair, "sample": sample, "answer": answer[0] if answer else ""}


def engines_view(request: HttpRequest) -> HttpResponse:
    tested = None
    if request.method == "POST":
        name = request.POST.get("engine", "")
        try:
            tested = {"engine": name, **try_engine(name)}
        except engines.UnknownEngine:
            tested = {"engine": name, "ok": False, "error": "No such engine is offered."}
        if tested.get("pair"):
            tested["pair_names"] = " → ".join(language_name(c) for c in tested["pair"])
    rows = []
    for item in engines.catalogue():
        rows.append({**item, "pair_count": len(item["pairs"]),
                     "pair_names": ", ".join(f"{language_name(s)} → {language_name(t)}" for s, t in item["pairs"][:8])})
    context = {**admin.site.each_context(request), "title": "Engines", "engines": rows, "tested": tested}
    return TemplateResponse(request, "admin/engines.html", context)
