"""`manage.py run_web`: serve zhiyi.asgi with the ASGI server ZHIYI_WEB_SERVER names (or
`--server`): daphne (channels' server, what `make run` uses) or uvicorn with uvloop and
httptools (the production choice: the same app at about half of daphne's CPU per delivered
stream event; figures in docs/performance.md). Either listens
with a deep backlog, so a reconnect storm of EventSource clients does not wait on SYN retries.
The command replaces itself with the server (exec), so signals reach the server directly."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

APP = "zhiyi.asgi:application"
BACKLOG = 4096


def command_line(*, server: str, host: str, port: int, proxy_headers: bool) -> list[str]:
    """The server's own command line (the same one tests and benchmarks start)."""
    bin_dir = Path(sys.executable).parent
    if server == "uvicorn":
        argv = [str(bin_dir / "uvicorn"), APP, "--host", host, "--port", str(port), "--backlog", str(BACKLOG),
                "--loop", "uvloop", "--http", "httptools", "--lifespan", "off", "--no-access-log"]
        # Behind the proxy: trust its X-Forwarded-For (FORWARDED_ALLOW_IPS names the proxies).
        return argv + (["--proxy-headers"] if proxy_headers else ["--no-proxy-headers"])
    argv = [str(bin_dir / "daphne"), "-e", f"tcp:port={port}:interface={host}:backlog={BACKLOG}"]
    return argv + (["--proxy-headers"] if proxy_headers else []) + [APP]


class Command(BaseCommand):
    help = "Serve the platform over ASGI with daphne or uvicorn (ZHIYI_WEB_SERVER)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--server", choices=["daphne", "uvicorn"], default=settings.ZHIYI_WEB_SERVER)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--proxy-headers", action="store_true",
                            help="take the client address from the proxy's X-Forwarded-For")

    def handle(self, *args: Any, server: str, host: str, port: int, proxy_headers: bool, **options: Any) -> None:
        argv = command_line(server=server, host=host, port=port, proxy_headers=proxy_headers)
        sys.stdout.flush()
        os.execv(argv[0], argv)
