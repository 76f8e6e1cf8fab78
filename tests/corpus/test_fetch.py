"""The corpus fetcher against a local simple index (127.0.0.1) that speaks PEP 691 JSON or
PEP 503 HTML: the exact file is found and downloaded, and a wrong checksum is refused."""
from __future__ import annotations

import hashlib
import http.server
import json
import threading
from pathlib import Path

import pytest

from tests.corpus import fetch

ARCHIVE = b"not really a tarball, but bytes with a checksum"


class Index(http.server.BaseHTTPRequestHandler):
    json_api = True

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path.startswith("/simple/demo-pkg/"):
            if self.json_api and "json" in self.headers.get("Accept", ""):
                body = json.dumps({"files": [
                    {"filename": "demo_pkg-1.0.tar.gz", "url": "/files/demo_pkg-1.0.tar.gz",
                     "hashes": {"sha256": hashlib.sha256(ARCHIVE).hexdigest()}},
                    {"filename": "demo_pkg-0.9.tar.gz", "url": "/files/old.tar.gz", "hashes": {}}]}).encode()
                kind = "application/vnd.pypi.simple.v1+json"
            else:
                body = (b'<html><body><a href="/files/old.tar.gz">demo_pkg-0.9.tar.gz</a>'
                        b'<a href="../../files/demo_pkg-1.0.tar.gz#sha256=00">demo_pkg-1.0.tar.gz</a></body></html>')
                kind = "text/html"
        elif self.path == "/files/demo_pkg-1.0.tar.gz":
            body, kind = ARCHIVE, "application/octet-stream"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:  # noqa: ANN002
        pass


@pytest.fixture(params=[True, False], ids=["pep691-json", "pep503-html"])
def index(request):
    handler = type("Handler", (Index,), {"json_api": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    server.shutdown()
    server.server_close()


def source(**extra) -> dict:
    return {"id": "pypi-demo", "kind": "pypi-sdist", "name": "Demo.Pkg", "version": "1.0",
            "file": "demo_pkg-1.0.tar.gz", "sha256": hashlib.sha256(ARCHIVE).hexdigest(), **extra}


def test_an_sdist_comes_straight_from_the_simple_index(index, tmp_path: Path):
    path = fetch.fetch_source(source(), tmp_path, index)
    assert path.name == "demo_pkg-1.0.tar.gz" and path.read_bytes() == ARCHIVE
    assert fetch.fetch_source(source(), tmp_path, "http://127.0.0.1:9/unused/") == path  # cached: no request


def test_an_archive_with_the_wrong_checksum_is_refused(index, tmp_path: Path):
    with pytest.raises(fetch.CorpusError, match="sha256 mismatch"):
        fetch.fetch_source(source(sha256="0" * 64, name="demo-pkg"), tmp_path, index)
    assert not list((tmp_path / "pypi-demo").glob("*.tar.gz"))
