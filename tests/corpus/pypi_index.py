"""PyPI archives straight from a simple index (PEP 691 JSON or PEP 503 HTML): one project
page, the link for the manifest's exact file name, one download. Standard library only."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from archives import CorpusError, log

DEFAULT_INDEX = "https://pypi.org/simple/"
HTTP_TIMEOUT_S = 120


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


def _http_get(url: str, *, accept: str = "*/*", attempts: int = 3) -> bytes:
    """The body at `url`; a dropped connection or a 5xx is tried again (a 4xx is final)."""
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "zhiyi-corpus-fetch"})
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == attempts:
                raise
        except (urllib.error.URLError, OSError):
            if attempt == attempts:
                raise
        log(f"  {url}: attempt {attempt} failed, trying again")
    raise AssertionError("unreachable")


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


def download_from_index(src: dict, tmpdir: Path, index: str) -> None:
    url = pypi_file_url(src, index)
    log(f"  GET {url}")
    name = urllib.parse.unquote(url.rsplit("/", 1)[-1])
    (tmpdir / name).write_bytes(_http_get(url))
