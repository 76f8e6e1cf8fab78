"""`manage.py run_web` serves the platform with the ASGI server the setting (or --server) names."""
from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import psutil
import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.servers import ROOT, free_port, subprocess_env, wait_until_up
from zhiyi.env import env_choice

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.mark.parametrize(("chosen", "binary"), [("daphne", "daphne"), ("uvicorn", "uvicorn")])
def test_the_command_becomes_the_chosen_server_and_stops_on_sigterm(chosen, binary):
    port = free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "run_web", "--port", str(port)], cwd=ROOT,
                               env=subprocess_env(ZHIYI_WEB_SERVER=chosen), stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        # exec'd: the manage.py process IS the server now, so signals reach it directly
        assert binary in " ".join(psutil.Process(process.pid).cmdline())
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) is not None
    finally:
        if process.poll() is None:
            process.kill()


def test_an_unknown_server_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("ZHIYI_WEB_SERVER", "gunicorn")
    with pytest.raises(ImproperlyConfigured, match="ZHIYI_WEB_SERVER"):
        env_choice("ZHIYI_WEB_SERVER", "daphne", ["daphne", "uvicorn"])
