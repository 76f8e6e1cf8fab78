"""Shared test helpers: uploads, running the worker, subprocess database URLs."""
from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

SIMPLIFIED = "汉字简体转换测试。\n这是第二行，包含发展与联系。\n"


def upload(content: bytes | str = SIMPLIFIED, name: str = "doc.txt") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def subprocess_database_url() -> str:
    """The URL of the database this test runs on, for a daphne/qcluster subprocess."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pdftotext(data: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (pages end with a form feed): a reader
    independent of the PDFium the platform writes with."""
    import shutil
    import subprocess

    import pytest

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True,
                          timeout=60).stdout.decode()


def pdf_pages(data: bytes) -> int:
    """The page count poppler's pdfinfo reads."""
    import subprocess

    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=60).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_images(data: bytes) -> int:
    """How many images poppler's pdfimages lists (it reads files only)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        listing = subprocess.run(["pdfimages", "-list", handle.name], capture_output=True, check=True, timeout=60)
    return max(0, len(listing.stdout.decode().splitlines()) - 2)  # two header lines
