"""A local HTTP server whose paths misbehave on purpose, for result_url downloads."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = "漢字簡體轉換測試。".encode()


class ServerUrl(str):
    """The server's base URL, and what a test may wait on: `slow_started` is set when a request
    for /slow has arrived (the server then takes 3 s to answer it)."""

    slow_started: threading.Event


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    big_size = 0
    slow_started: threading.Event

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        if path == "/ok":
            return self._send(200, BODY)
        if path == "/missing":
            return self._send(404, b"no")
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/slow":
            self.slow_started.set()
            time.sleep(3)  # a slow peer (the test waits on slow_started, never on time)
            return self._send(200, BODY)
        if path == "/big":
            return self._send(200, b"x" * self.big_size)
        if path == "/big-chunked":  # no Content-Length: the limit is found while streaming
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            sent = 0
            try:
                while sent <= self.big_size:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        return self._send(404, b"?")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def file_server(*, big_size: int = 0) -> Iterator[ServerUrl]:
    started = threading.Event()
    handler = type("Handler", (_Handler,), {"big_size": big_size, "slow_started": started})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = ServerUrl(f"http://127.0.0.1:{server.server_address[1]}")
        url.slow_started = started
        yield url
    finally:
        server.shutdown()
        server.server_close()
