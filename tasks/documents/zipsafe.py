"""Safe reading of zip-based documents (DOCX, XLSX, PPTX).

Every check happens before any part is parsed: the archive must open, no entry may be
encrypted, and the declared sizes must stay under ZHIYI_ZIP_MAX_UNCOMPRESSED_MB in total and
ZHIYI_ZIP_MAX_RATIO per large entry (a decompression bomb declares a huge size for little
data). zipfile never returns more bytes than an entry declares, so the declared sizes bound
what we will inflate. Password-protected Office files are not zips at all but OLE compound
files holding an `EncryptedPackage` stream; they are recognised and refused by name.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

from tasks.documents.base import DocumentError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Entries smaller than this are never bombs, whatever their ratio (a blank sheet compresses 500:1).
_RATIO_FLOOR = 1024 * 1024


def is_encrypted_office(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def open_zip(data: bytes, *, label: str) -> zipfile.ZipFile:
    """The archive, checked. Raises DocumentError with a message a person can act on."""
    if is_encrypted_office(data):
        raise DocumentError(_("This %(label)s is password-protected. Remove the password and upload it again."),
                            params={"label": label}, code="encrypted_document")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        raise DocumentError(_("This %(label)s is damaged or incomplete (it cannot be opened as a zip package)."),
                            params={"label": label}, code="corrupt_document") from None
    if any(info.flag_bits & 0x1 for info in infos):
        raise DocumentError(_("This %(label)s is password-protected. Remove the password and upload it again."),
                            params={"label": label}, code="encrypted_document")
    limit = settings.ZHIYI_ZIP_MAX_UNCOMPRESSED_MB * 1024 * 1024
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise DocumentError(
            _("This %(label)s unpacks to %(size)s MB; the limit is %(limit)s MB."),
            params={"label": label, "size": f"{total / 1048576:.0f}", "limit": settings.ZHIYI_ZIP_MAX_UNCOMPRESSED_MB},
            code="zip_bomb")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > settings.ZHIYI_ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise DocumentError(
                _("This %(label)s looks like a decompression bomb: %(name)s expands %(ratio)s times (the limit "
                  "is %(limit)s)."),
                  params={"label": label, "name": info.filename, "limit": settings.ZHIYI_ZIP_MAX_RATIO,
                                       "ratio": f"{info.file_size // max(info.compress_size, 1):,}"},
                code="zip_bomb")
    return archive


def verify(archive: zipfile.ZipFile, *, label: str) -> None:
    """Inflate every entry once and check its CRC (the sizes were bounded by `open_zip`), so a
    damaged image or style part is reported at upload, not when the result is written."""
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
        bad = "?"
    if bad is not None:
        raise DocumentError(_("This %(label)s is damaged: part of its content cannot be read."),
                            params={"label": label},
                            code="corrupt_document")


def read_part(archive: zipfile.ZipFile, name: str, *, label: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise DocumentError(_("This %(label)s is incomplete: the part %(name)s is missing."),
                            params={"label": label, "name": name}, code="corrupt_document") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
        raise DocumentError(_("This %(label)s is damaged: the part %(name)s cannot be read."),
                            params={"label": label, "name": name}, code="corrupt_document") from None


def looks_like_zip(data: bytes, *, required: str) -> bool:
    """For `sniff`: a zip holding `required` in its content types, a zip too damaged to tell
    (parse reports it), or an encrypted Office file (parse reports it). Anything else is not us."""
    if is_encrypted_office(data):
        return True
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        types = archive.read("[Content_Types].xml")
    except KeyError:
        return False
    except Exception:  # noqa: BLE001 — damaged: let parse say so clearly
        return True
    return required.encode() in types


def rewrite_zip(archive: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """A copy of the archive with some parts replaced; every other part's bytes are unchanged,
    entries keep their order, names, dates and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            data = replaced[info.filename] if info.filename in replaced else archive.read(info)  # verified at parse
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            target.writestr(copy, data)
    return out.getvalue()
