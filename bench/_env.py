"""Shared set-up for benchmarks: a fresh database (a temp SQLite file, or a throwaway
PostgreSQL started with scripts/pg.sh unless BENCH_PG_URL is given), migrated, Django ready."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_postgres() -> tuple[str, str]:
    """(database URL, data dir) of a new throwaway server."""
    data_dir = tempfile.mkdtemp(prefix="zhiyi-bench-pg-")
    url = subprocess.check_output([str(ROOT / "scripts/pg.sh"), "start", data_dir], text=True).strip()
    return url, data_dir


def stop_postgres(data_dir: str) -> None:
    subprocess.run([str(ROOT / "scripts/pg.sh"), "stop", data_dir], check=False)


def setup_django(database_url: str, **extra_env: str) -> dict[str, str]:
    """Point this process at `database_url`, create the database if needed, migrate.
    Returns the environment to give subprocesses (qcluster)."""
    media = tempfile.mkdtemp(prefix="zhiyi-bench-media-")
    env = {"DATABASE_URL": database_url, "MEDIA_ROOT": media, "DJANGO_SETTINGS_MODULE": "zhiyi.settings",
           "LOG_LEVEL": "WARNING", "ZHIYI_WELCOME_CREDITS": "0", **extra_env}
    os.environ.update(env)
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if "queue" in settings.DATABASES:  # django-q2 in a file of its own (ZHIYI_SQLITE_QUEUE_DB): first
        call_command("migrate", database="queue", verbosity=0)
    call_command("migrate", verbosity=0)
    return {**os.environ, **env}
