"""The reference external service as a real subprocess (`python -m tools.external_service`)."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import ROOT, free_port, subprocess_env, wait_until_up


@contextmanager
def external_service_process(*, secret: str, port: int | None = None, result_mode: str = "url",
                             delay_s: float = 0.2, log_path: Path | None = None, **env: str) -> Iterator[str]:
    """Yields the service's base URL once it answers; stops it (SIGTERM, then SIGKILL) afterwards."""
    port = port or free_port()
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.external_service", "--port", str(port), "--secret", secret,
         "--result-mode", result_mode, "--delay", str(delay_s)],
        cwd=ROOT, env=subprocess_env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process)
        yield base
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log_path:
            log.close()  # type: ignore[union-attr]
