"""opencc and apertium, the real programs."""
from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from tasks.engines.apertium import ApertiumEngine
from tasks.engines.opencc import OpenCCEngine
from tasks.translation import Glossary, run_pipeline

needs_apertium = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")


def test_opencc_phrase_variants_follow_the_region():
    engine = OpenCCEngine()
    assert engine.translate(["鼠标和软件"], "zh-Hans", "zh-TW") == ["滑鼠和軟體"]  # Taiwan idiom (s2twp)
    assert engine.translate(["鼠标和软件"], "zh-Hans", "zh-Hant") == ["鼠標和軟件"]  # characters only
    assert engine.translate(["滑鼠和軟體"], "zh-TW", "zh-Hans") == ["鼠标和软件"]


@needs_apertium
def test_apertium_pairs_come_from_the_installed_modes():
    engine = ApertiumEngine()
    assert engine.availability().available
    assert ("en", "es") in engine.pairs() and ("es", "en") in engine.pairs()


@needs_apertium
def test_apertium_translates_a_batch_in_one_process_with_boundaries_kept(monkeypatch):
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: (calls.append(a[0]), real_run(*a, **k))[1])
    segments = ["The house is red.", "I have a dog.", "Good morning.", "The house is red."]
    result = run_pipeline(ApertiumEngine(), segments, "en", "es")
    assert len(calls) == 1
    assert result.translations == ["La casa es roja.", "Tengo un perro.", "Buenos días.", "La casa es roja."]
    assert result.engine_characters == sum(len(s) for s in segments[:3])  # the repeat is translated once


@needs_apertium
def test_a_long_document_goes_through_apertium_in_very_few_pipelines(monkeypatch):
    # Each apertium start loads a 13-process pipeline (~0.2 s): 60,000 characters of distinct
    # sentences took 3 starts at the former 20,000-character batches, one now.
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: (calls.append(a[0]), real_run(*a, **k))[1])
    rng = random.Random(5)
    words = "the house dog city water school red big good new old small people work day".split()
    segments = list(dict.fromkeys(" ".join(rng.choice(words) for _ in range(9)).capitalize() + "."
                                  for _ in range(1400)))
    assert sum(map(len, segments)) > 60_000
    result = run_pipeline(ApertiumEngine(), segments, "en", "es")
    assert len(calls) == 1 and len(result.translations) == len(segments)
    assert all(t.endswith(".") for t in result.translations)  # boundaries kept: each came back whole


@needs_apertium
def test_apertium_keeps_formatting_placeholders_and_glossary_terms():
    result = run_pipeline(ApertiumEngine(), ["  Hello <1>big</1> world.\n", "The <2/>dog lives in New York."],
                          "en", "es", glossary=Glossary([("New York", "Nueva York")]))
    first, second = result.translations
    assert first.startswith("  ") and first.endswith("\n")
    # Apertium moves words but not the tags between them ("superblanks"), so the span keeps its
    # place in the sentence, not its word: the pipeline's promise is that it comes back intact.
    assert re.fullmatch(r"  Hola <1>\w+</1> \w+\.\n", first) and "grande" in first.lower()
    assert "<2/>" in second and "Nueva York" in second and "perro" in second


def test_opencc_with_a_glossary_puts_the_target_term_in_place():
    result = run_pipeline(OpenCCEngine(), ["纽约的发展"], "zh-Hans", "zh-Hant", glossary=Glossary([("纽约", "紐約市")]))
    assert result.translations == ["紐約市的發展"]


@needs_apertium
def test_glossary_terms_match_whole_words_and_survive_escaping():
    glossary = Glossary([("R&D", "I+D"), ("cat", "gato")])
    result = run_pipeline(ApertiumEngine(), ["The R&D team has a cat.", "A category of dogs."], "en", "es",
                          glossary=glossary)
    first, second = result.translations
    assert "I+D" in first and "gato" in first and "R&D" not in first
    assert "gato" not in second and "perros" in second
