"""Production settings pass Django's deployment checks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "ZHIYI_PRODUCTION": "1",
    "SECRET_KEY": "k9#Vt2pQ!x7Lw4zR8mN1bC6yH3sD5fG0jK2lP9oI8uY7tR6eW5qA",
    "ALLOWED_HOSTS": "zhiyi.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://zhiyi.example.com",
    "ZHIYI_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "DATABASE_URL": "postgres://zhiyi@db.internal:5432/zhiyi",  # not contacted by the checks
}


def _check(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIYI_", "DEBUG", "SECRET_KEY"))}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "zhiyi.settings", **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = _check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_debug_in_production():
    result = _check(**PRODUCTION, DEBUG="1")
    assert result.returncode != 0 and "security.W018" in result.stdout + result.stderr


def _public_url(**env: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIYI_", "PORT"))}
    code = "import django; django.setup(); from django.conf import settings; print(settings.ZHIYI_PUBLIC_URL)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, "DJANGO_SETTINGS_MODULE": "zhiyi.settings", **env}, check=True).stdout.strip()


def test_the_public_url_follows_the_port_unless_it_is_set():
    assert _public_url() == "http://127.0.0.1:8000"
    assert _public_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _public_url(PORT="8123", ZHIYI_PUBLIC_URL="https://zhiyi.example.com") == "https://zhiyi.example.com"
