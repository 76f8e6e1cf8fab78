"""A reference asynchronous translation service, to see the `external` engine's whole path work
locally and to test it: it accepts signed submissions (see tasks/engines/external.py), converts
text documents with OpenCC, and reports back to the submission's callback URL with Standard
Webhooks signed events (task.progress, then task.completed or task.failed), retrying a delivery
with the same webhook id until it is acknowledged, as real senders do.

    python -m tools.external_service --port 8100 [--secret whsec_...] [--result-mode url|base64]
    manage.py run_external_worker   (the same, with defaults from the settings)

Then run ZhiYi with ZHIYI_EXTERNAL_URL=http://127.0.0.1:8100/jobs and the same
ZHIYI_WEBHOOK_SECRET. Only UTF-8 text formats (txt, md, html, srt, ...) are converted: OpenCC
leaves ASCII markup alone; anything else is answered with task.failed.
"""
from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from tasks.webhooks.signing import parse_secrets, sign_headers

logger = logging.getLogger("zhiyi.external_service")
MAX_SUBMISSION_BYTES = 64 * 1024 * 1024
TEXT_FORMATS = {"txt", "md", "markdown", "html", "htm", "srt", "vtt", "po", "csv", "json"}
# OpenCC configurations by (source, target); the same table as the opencc engine.
_CONFIGS: dict[tuple[str, str], str] | None = None


def _opencc_config(source: str, target: str) -> str | None:
    global _CONFIGS
    if _CONFIGS is None:
        from tasks.engines.opencc import CONFIGS

        _CONFIGS = CONFIGS
    return _CONFIGS.get((source, target))


class ExternalService:
    """The service: an HTTP server in a background thread. `start()` returns its base URL."""

    def __init__(self, *, secret: str, host: str = "127.0.0.1", port: int = 0, result_mode: str = "url",
                 delay_s: float = 0.0, public_url: str | None = None, webhook_attempts: int = 12) -> None:
        if result_mode not in ("url", "base64"):
            raise ValueError("result_mode must be 'url' or 'base64'")
        self.secret = secret
        self.verifier = parse_secrets(secret)[0]
        self.result_mode = result_mode
        self.delay_s = delay_s
        self.webhook_attempts = webhook_attempts
        self.results: dict[str, bytes] = {}
        self.jobs: dict[str, str] = {}  # idempotency key → job id
        self.deliveries: list[tuple[str, str, int]] = []  # (webhook id, type, final HTTP status)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        bound_host, bound_port = self.server.server_address[:2]
        self.base_url = (public_url or f"http://{bound_host}:{bound_port}").rstrip("/")
        self._thread: threading.Thread | None = None
        self._workers: list[threading.Thread] = []

    def start(self) -> str:
        self._thread = threading.Thread(target=self.server.serve_forever, name="external-service", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        for worker in self._workers:
            worker.join(timeout=5)

    def __enter__(self) -> ExternalService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- Submissions --------------------------------------------------------------------

    def accept(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            job = self.verifier.verify(body, headers)
        except Exception:  # noqa: BLE001 — whatever the verifier raises, the request is not ours
            return 401, {"detail": "invalid signature"}
        if not isinstance(job, dict) or not all(
                isinstance(job.get(k), str) for k in ("callback_url", "document_base64", "source_lang", "target_lang")):
            return 400, {"detail": "malformed submission"}
        key = headers.get("idempotency-key", "")
        with self.lock:
            if key and key in self.jobs:
                return 202, {"id": self.jobs[key]}  # a retried submission: the same job
            job_id = f"ext_{uuid.uuid4().hex}"
            if key:
                self.jobs[key] = job_id
        worker = threading.Thread(target=self._process, args=(job_id, job), name=f"job-{job_id}", daemon=True)
        self._workers.append(worker)
        worker.start()
        return 202, {"id": job_id}

    def _process(self, job_id: str, job: dict[str, Any]) -> None:
        if self.stopping.wait(self.delay_s):
            return
        callback = job["callback_url"]
        if not self._send(callback, "task.progress", {"external_task_id": job_id, "progress": 10,
                                                      "message": "Accepted by the external service"}):
            return
        config = _opencc_config(job["source_lang"], job["target_lang"])
        fmt = str(job.get("format", "txt")).lower()
        try:
            text = base64.b64decode(job["document_base64"]).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            text = None
        if config is None:
            error = f"cannot translate {job['source_lang']} to {job['target_lang']}"
        elif text is None or fmt not in TEXT_FORMATS:
            error = f"the {fmt} format is not supported by the reference service"
        else:
            error = ""
        if error:
            self._send(callback, "task.failed", {"external_task_id": job_id, "error": error})
            return
        import opencc

        result = opencc.OpenCC(config).convert(text).encode("utf-8")
        self._send(callback, "task.progress", {"external_task_id": job_id, "progress": 80, "message": "Converted"})
        data: dict[str, Any] = {"external_task_id": job_id,
                                "characters": sum(1 for ch in text if not ch.isspace())}
        if self.result_mode == "base64":
            data["result_base64"] = base64.b64encode(result).decode("ascii")
        else:
            with self.lock:
                self.results[job_id] = result
            data["result_url"] = f"{self.base_url}/results/{job_id}"
        self._send(callback, "task.completed", data)

    # --- Webhook deliveries -------------------------------------------------------------

    def _send(self, url: str, kind: str, data: dict[str, Any]) -> bool:
        """Deliver one event until it is acknowledged (2xx). The webhook id stays the same on
        every retry; the timestamp and signature are fresh. Gives up on a 4xx that a retry
        cannot change (400, 401, 413), and after `webhook_attempts`."""
        webhook_id = f"msg_{uuid.uuid4().hex}"
        body = json.dumps({"type": kind, "data": data}).encode("utf-8")
        status = 0
        for attempt in range(self.webhook_attempts):
            if attempt and self.stopping.wait(min(0.2 * 2 ** (attempt - 1), 5)):
                break
            headers = {**sign_headers(secret=self.secret, webhook_id=webhook_id, body=body),
                       "Content-Type": "application/json"}
            try:
                status = httpx.post(url, content=body, headers=headers, timeout=30).status_code
            except httpx.HTTPError:
                status = 0
                continue
            if 200 <= status < 300 or status in (400, 401, 413):
                break
        with self.lock:
            self.deliveries.append((webhook_id, kind, status))
        if not 200 <= status < 300:
            logger.warning("webhook %s (%s) not acknowledged: HTTP %s", webhook_id, kind, status)
        return 200 <= status < 300


def _handler_for(service: ExternalService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            if self.path.rstrip("/") != "/jobs":
                return self._json(404, {"detail": "not found"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_SUBMISSION_BYTES:
                return self._json(413, {"detail": "too large"})
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._json(*service.accept(body, headers))

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/healthz":
                return self._json(200, {"ok": True})
            job_id = self.path.removeprefix("/results/")
            with service.lock:
                result = service.results.get(job_id) if self.path.startswith("/results/") else None
            if result is None:
                return self._json(404, {"detail": "not found"})
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(result)))
            self.end_headers()
            self.wfile.write(result)

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            logger.debug(format, *args)

    return Handler


def serve(*, secret: str, host: str, port: int, result_mode: str, delay_s: float, public_url: str | None) -> None:
    """Run until interrupted (Ctrl-C or SIGTERM)."""
    import signal

    service = ExternalService(secret=secret, host=host, port=port, result_mode=result_mode, delay_s=delay_s,
                              public_url=public_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    base = service.start()
    print(f"external service on {base}/jobs (results as {result_mode})", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()


def add_arguments(parser: argparse.ArgumentParser, *, secret: str = "", port: int = 8100) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--secret", default=secret, help="whsec_... (default: ZHIYI_WEBHOOK_SECRET)")
    parser.add_argument("--result-mode", choices=("url", "base64"), default="url",
                        help="send the result as a URL served here, or inline as base64")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds before a job starts")
    parser.add_argument("--public-url", default=None, help="this service's base URL as ZhiYi reaches it")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyi.settings")
    import django

    django.setup()  # only for the shared OpenCC table; the service keeps no database state
    parser = argparse.ArgumentParser(prog="python -m tools.external_service", description=__doc__.split("\n\n")[0])
    add_arguments(parser, secret=os.environ.get("ZHIYI_WEBHOOK_SECRET", ""))
    args = parser.parse_args(argv)
    if not args.secret:
        parser.error("a webhook secret is required (--secret or ZHIYI_WEBHOOK_SECRET)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    serve(secret=args.secret, host=args.host, port=args.port, result_mode=args.result_mode,
          delay_s=args.delay, public_url=args.public_url)


if __name__ == "__main__":
    main()
