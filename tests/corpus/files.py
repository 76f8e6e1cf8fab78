"""The corpus documents for tests: `corpus_file(id)` is the path of one, fetched (from the
archive cache, or the registries) when it is not there yet."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from tests.corpus import fetch


@functools.cache
def manifest() -> dict:
    with open(fetch.MANIFEST, "rb") as handle:
        return tomllib.load(handle)


def documents() -> list[dict]:
    return manifest()["document"]


def document(doc_id: str) -> dict:
    return next(d for d in documents() if d["id"] == doc_id)


@functools.cache
def _ensure_all() -> None:
    missing = [d["id"] for d in documents() if not fetch.document_target(fetch.DEFAULT_DEST, d).is_file()]
    if missing and fetch.main(["--only", *missing]) != 0:
        raise RuntimeError("the corpus could not be fetched: run tests/corpus/fetch.py and read its errors")


def corpus_file(doc_id: str) -> Path:
    path = fetch.document_target(fetch.DEFAULT_DEST, document(doc_id))
    if not path.is_file():
        _ensure_all()
    return path
