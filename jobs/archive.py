"""The documents of a job's uploads: a file is one document; a `.zip` is opened (through
tasks.documents.zipsafe: encryption, bombs and damage refused) and each file in it becomes a
document, its folders kept as the path. A zip with a name that climbs out of its folder, is
absolute or names a drive is refused whole. Folders, macOS resource forks and hidden files
(`.DS_Store`) are not documents and are passed over."""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from jobs.errors import DocumentsRefused
from tasks import services
from tasks.documents import DocumentError
from tasks.documents.zipsafe import open_zip
from tasks.errors import TaskError


@dataclass(frozen=True)
class Upload:
    path: str  # folder inside the job: "" or "manuals/en/"
    filename: str
    data: bytes

    @property
    def name(self) -> str:
        return self.path + self.filename


def is_archive(filename: str) -> bool:
    return filename.lower().endswith(".zip")


def _unsafe(name: str) -> bool:
    if not name or "\\" in name or "\0" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in name.split("/"))


def _skipped(name: str) -> bool:
    parts = name.split("/")
    return name.endswith("/") or parts[0] == "__MACOSX" or parts[-1].startswith(".")


def expand_archive(*, filename: str, data: bytes) -> list[Upload]:
    """Every document in the zip, or DocumentsRefused naming the zip and why."""
    def refuse(code: str, detail: str) -> DocumentsRefused:
        return DocumentsRefused(_("The archive %(name)s cannot be used.") % {"name": filename},
                                refused=[{"name": filename, "target_lang": "", "code": code, "detail": detail}])

    try:
        archive = open_zip(data, label=_("zip archive"))
    except DocumentError as exc:
        raise refuse(exc.code, str(exc)) from None
    infos = archive.infolist()
    unsafe = [info.filename for info in infos if _unsafe(info.filename)]
    if unsafe:
        raise refuse("unsafe_archive", _("The archive holds a name outside its folder: %(name)s.")
                     % {"name": unsafe[0][:200]})
    limit = services.max_upload_bytes()
    found = []
    for info in infos:
        if _skipped(info.filename):
            continue
        if info.file_size > limit:
            raise refuse("file_too_large", _("%(name)s in the archive is larger than the upload limit.")
                         % {"name": info.filename[:200]})
        try:
            content = archive.read(info)  # the CRC is checked as it is read
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
            raise refuse("corrupt_document", _("%(name)s in the archive is damaged.") % {"name": info.filename[:200]})
        folder, base = posixpath.split(info.filename)
        found.append(Upload(path=f"{folder}/" if folder else "", filename=services.clean_filename(base), data=content))
    return found


def folder_of(path: str) -> str:
    """The folder part of a dropped file's relative path ("docs/en/a.txt" → "docs/en/"), or
    DocumentsRefused when it climbs out (the same rule as a zip's names)."""
    path = (path or "").strip()
    while path.startswith("./"):
        path = path[2:]
    if not path:
        return ""
    if _unsafe(path):
        raise DocumentsRefused(_("A folder name is outside the upload: %(name)s.") % {"name": path[:200]},
                               refused=[{"name": path[:200], "target_lang": "", "code": "unsafe_archive",
                                         "detail": _("The name is outside its folder.")}])
    folder = posixpath.dirname(path)
    return f"{folder}/" if folder else ""


def read_uploads(uploads: list[UploadedFile], paths: list[str] | None = None) -> tuple[list[Upload], list[dict]]:
    """The job's documents, and the uploads refused on their own (too large, empty). An unsafe
    or damaged zip raises DocumentsRefused: it is refused whole. `paths` (optional, one per
    upload) are the files' paths in a dropped folder: their folders are kept like a zip's."""
    documents: list[Upload] = []
    refused: list[dict] = []
    paths = list(paths or [])
    for index, upload in enumerate(uploads):
        folder = folder_of(paths[index]) if index < len(paths) else ""
        filename = services.clean_filename(upload.name or "document")
        try:
            data = services.read_upload(upload)
        except TaskError as exc:
            refused.append({"name": folder + filename, "target_lang": "", "code": exc.code, "detail": str(exc)})
            continue
        if is_archive(filename):
            documents += [Upload(path=folder + d.path, filename=d.filename, data=d.data)
                          for d in expand_archive(filename=filename, data=data)]
        else:
            documents.append(Upload(path=folder, filename=filename, data=data))
    return documents, refused
