"""The alert rules: valid, unit-tested by promtool, and every figure they watch is one /metrics
exports (a renamed metric would silence its alert)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None,
                                    reason="promtool is not installed (Debian package prometheus; .ci/run installs it)")


@needs_promtool
def test_the_rules_are_valid_and_their_unit_tests_pass():
    for command in (["promtool", "check", "rules", "alerts.yml"], ["promtool", "test", "rules", "alerts_test.yml"]):
        done = subprocess.run(command, cwd=RULES, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.django_db
def test_every_metric_an_alert_watches_is_exported(client, task_row):
    from tasks.models import TaskEvent

    task = task_row(status="completed")  # one round completed and one failed: every counter has a sample
    TaskEvent.objects.create(task=task, status="failed")
    TaskEvent.objects.create(task=task, status="completed")
    client.get("/healthz")
    exported: set[str] = set()
    for line in client.get("/metrics").content.decode().splitlines():
        if line.startswith("# TYPE "):  # a family may have no sample yet (no task has failed)
            _, _, name, kind = line.split()
            exported.add(f"{name}_total" if kind == "counter" else name)
        elif line and not line.startswith("#"):
            exported.add(line.split("{")[0].split(" ")[0])
    watched = set(re.findall(r"\b((?:zhiyi|django)_[a-z_]+)\b", (RULES / "alerts.yml").read_text()))
    assert watched and watched <= exported, watched - exported


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins(client, settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.ROOT_URLCONF = "tests.ops.failing_urls"
    client.raise_request_exception = False
    assert client.get("/boom/").status_code == 500
    [mail] = mailoutbox
    assert mail.to == ["ops@example.com"] and "ZeroDivisionError" in mail.body
