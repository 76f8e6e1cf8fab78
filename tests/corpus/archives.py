"""Reading single members out of the corpus's archives: tar, zip and Debian packages (through
`dpkg-deb --fsys-tarfile`, or the `ar` container read in Python). Standard library only."""
from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path


class CorpusError(Exception):
    """A source could not be fetched, or a checksum did not match."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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
