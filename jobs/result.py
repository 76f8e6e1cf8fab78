"""A job's result: one zip of every completed task, streamed as it is written (zipfile on a sink
that hands each written chunk to the response; nothing is ever whole in memory), each file at
`<path>/<stem>.<target>.<ext>`, and `manifest.json` saying what is in it, what failed and why,
and what is not done yet (a partial zip says so)."""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

from jobs.models import Job
from jobs.selectors import job_tasks
from tasks.models import Status

CHUNK = 64 * 1024


class _Sink(io.RawIOBase):
    """A write-only, unseekable file whose written bytes are taken away chunk by chunk."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
    used.add(candidate)
    return candidate


def result_manifest(job: Job) -> tuple[list[tuple[str, object]], dict]:
    """The files of the zip (name, task) and its manifest."""
    files, failed, pending, used = [], [], [], {"manifest.json"}
    for task in job_tasks(job):
        source = task.job_link.path + task.filename
        if task.status == Status.COMPLETED and task.result:
            name = _unique(task.job_link.path + task.result_filename, used)
            files.append((name, task))
        elif task.status in (Status.FAILED, Status.CANCELLED):
            failed.append({"task": task.pk, "source": source, "target_lang": task.target_lang, "status": task.status,
                           "error": task.error_text or task.message})
        else:
            pending.append({"task": task.pk, "source": source, "target_lang": task.target_lang,
                            "status": task.status})
    manifest = {
        "job": job.pk, "complete": not failed and not pending,
        "files": [{"name": name, "task": task.pk, "source": task.job_link.path + task.filename,  # type: ignore[attr-defined]
                   "target_lang": task.target_lang} for name, task in files],  # type: ignore[attr-defined]
        "failed": failed, "pending": pending,
    }
    return files, manifest


def stream_result(job: Job) -> Iterator[bytes]:
    files, manifest = result_manifest(job)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, task in files:
            with task.result.open("rb") as source, archive.open(name, "w") as target:  # type: ignore[attr-defined]
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    yield sink.take()  # the central directory, written as the archive closed
