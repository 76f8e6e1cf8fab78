"""The corpus manifest is well formed, and the fetched files match it.

Independent of Django: run with
``python -m pytest -p no:django -c /dev/null --rootdir tests/corpus tests/corpus/test_manifest.py``.
The checksum tests run only for documents present under ``tests/corpus/files``
(``python tests/corpus/fetch.py`` puts them there); the others are skipped.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fetch  # noqa: E402

MANIFEST = HERE / "manifest.toml"
FILES = HERE / "files"

SOURCE_KINDS = {"pypi-sdist", "pypi-wheel", "deb", "npm"}
FORMATS_NOW = {"txt", "md", "html", "docx", "xlsx", "pptx", "srt", "vtt", "po", "pdf"}
FORMATS_LATER = {"xliff", "odt", "ods", "odp", "epub", "json", "yaml", "android-xml", "apple-strings",
                 "properties", "png", "jpg", "tiff"}
SCHEMAS = {"xsd"}  # not documents to translate: what judges validate outputs against
FORMATS = FORMATS_NOW | FORMATS_LATER | SCHEMAS
TEXT_FORMATS = {"txt", "md", "html", "srt", "vtt", "po", "xliff", "json", "yaml", "android-xml",
                "apple-strings", "properties"}
MAX_FILE = 5 * 1024 * 1024
MAX_TOTAL = 30 * 1024 * 1024
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
# SPDX identifiers, LicenseRef-*, joined by OR / AND / WITH.
SPDX_RE = re.compile(r"^(?:[A-Za-z0-9.+-]+)(?: (?:OR|AND|WITH) [A-Za-z0-9.+-]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")


def _load():
    with open(MANIFEST, "rb") as fh:
        return tomllib.load(fh)


MANIFEST_DATA = _load()
SOURCES = MANIFEST_DATA.get("source", [])
DOCUMENTS = MANIFEST_DATA.get("document", [])
SOURCE_IDS = {s["id"] for s in SOURCES}


def test_schema_version():
    assert MANIFEST_DATA.get("schema") == 1


def test_ids_are_unique():
    for kind, items in (("source", SOURCES), ("document", DOCUMENTS)):
        dupes = [i for i, n in Counter(x["id"] for x in items).items() if n > 1]
        assert not dupes, f"duplicate {kind} ids: {dupes}"


@pytest.mark.parametrize("src", SOURCES, ids=[s["id"] for s in SOURCES])
def test_source_is_well_formed(src):
    for key in ("id", "kind", "name", "version", "sha256", "licence", "homepage"):
        assert src.get(key), f"source {src.get('id')!r} lacks {key!r}"
    assert ID_RE.match(src["id"]), src["id"]
    assert src["kind"] in SOURCE_KINDS
    assert SHA_RE.match(src["sha256"])
    assert SPDX_RE.match(src["licence"]), src["licence"]
    assert src["homepage"].startswith("https://")
    assert any(d["source"] == src["id"] for d in DOCUMENTS), f"source {src['id']!r} is not used"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["id"] for d in DOCUMENTS])
def test_document_is_well_formed(doc):
    for key in ("id", "source", "path", "sha256", "size", "format", "producer", "languages", "expect", "notes"):
        assert key in doc, f"document {doc.get('id')!r} lacks {key!r}"
    assert ID_RE.match(doc["id"]), doc["id"]
    assert doc["source"] in SOURCE_IDS, f"document {doc['id']!r}: unknown source {doc['source']!r}"
    assert doc["format"] in FORMATS, f"document {doc['id']!r}: unknown format {doc['format']!r}"
    assert SHA_RE.match(doc["sha256"])
    assert isinstance(doc["size"], int) and 0 < doc["size"] <= MAX_FILE, f"{doc['id']}: {doc['size']} bytes"
    assert doc["producer"].strip()
    assert doc["languages"] and all(LANG_RE.match(lang) for lang in doc["languages"]), doc["languages"]
    assert isinstance(doc["expect"], list) and all(isinstance(e, str) and e for e in doc["expect"])
    assert doc["notes"].strip()
    assert not doc["path"].startswith("/") and ".." not in doc["path"].split("/")
    if doc["format"] in TEXT_FORMATS:
        assert doc.get("encoding"), f"text document {doc['id']!r} needs an encoding"
        "".encode(doc["encoding"])  # a codec Python knows
    if "licence" in doc:
        assert SPDX_RE.match(doc["licence"]), doc["licence"]
    if "decompress" in doc:
        assert doc["decompress"] == "gzip"


def test_total_size_is_bounded():
    total = sum(d["size"] for d in DOCUMENTS)
    assert total <= MAX_TOTAL, f"corpus is {total} bytes, limit {MAX_TOTAL}"


def test_targets_are_distinct():
    targets = Counter(fetch.document_target(FILES, d) for d in DOCUMENTS)
    assert not [t for t, n in targets.items() if n > 1]


def test_coverage():
    """Every format read today has several documents; refusal cases are present."""
    per_format = Counter(d["format"] for d in DOCUMENTS)
    thin = {f: per_format[f] for f in FORMATS_NOW if per_format[f] < 5}
    assert not thin, f"formats with fewer than 5 documents: {thin}"
    tags = Counter(t for d in DOCUMENTS for t in d["expect"])
    assert tags["encrypted"] >= 2 and tags["damaged"] >= 3
    chinese = {d["format"] for d in DOCUMENTS if any(lang.startswith("zh") for lang in d["languages"])}
    assert len(chinese) >= 5, chinese




@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["id"] for d in DOCUMENTS])
def test_fetched_file_matches(doc):
    path = fetch.document_target(FILES, doc)
    if not path.is_file():
        pytest.skip("not fetched (python tests/corpus/fetch.py)")
    data = path.read_bytes()
    assert len(data) == doc["size"], f"{path}: size {len(data)}, manifest {doc['size']}"
    assert hashlib.sha256(data).hexdigest() == doc["sha256"], f"{path}: sha256 does not match the manifest"
    if doc["format"] in TEXT_FORMATS and "damaged" not in doc["expect"]:
        data.decode(doc["encoding"])  # the declared encoding is right
