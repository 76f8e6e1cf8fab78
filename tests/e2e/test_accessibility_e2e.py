"""Every page in a real browser, checked by axe-core: English and Chinese, a phone (390 px) and a
desktop, light and dark. No serious or critical violation, and no horizontal scroll on the
phone. axe-core is the npm package, installed at test time into var/npm (pinned), and served to
the page by the test under the site's own origin (the Content-Security-Policy allows 'self')."""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from credits.services import grant
from notifications.models import Notification
from tasks.models import ProcessingTask
from tests.e2e.support import save_screenshot, user_with_tasks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE_VERSION = "4.10.3"
ROOT = Path(__file__).resolve().parent.parent.parent
AXE_DIR = ROOT / "var" / "npm"
AXE_PATH = "/__test__/axe.min.js"
SIGNED_IN_PAGES = ["/", "/tasks/", "/tasks/{task}/", "/tasks/{waiting}/", "/credits/", "/notifications/",
                   "/accounts/settings/", "/accounts/keys/"]
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/"]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _installed_version() -> str | None:
    manifest = AXE_DIR / "node_modules" / "axe-core" / "package.json"
    try:
        return json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="module")
def axe_source() -> str:
    if _installed_version() != AXE_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (Debian package npm)")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "install", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}", "--no-audit",
                               "--no-fund", "--loglevel=error"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or _installed_version() != AXE_VERSION:
            pytest.skip(f"axe-core could not be installed: {done.stderr[-300:]}")
    return (AXE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def _session_cookie(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _check(page, base: str, path: str, axe_source: str, *, phone: bool) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(base + path)
    problems = []
    if phone and not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(f"{path}: scrolls sideways at 390 px")
    page.add_script_tag(url=base + AXE_PATH)
    for violation in page.evaluate(RUN_AXE):
        problems.append(f"{path}: {violation['impact']} {violation['id']} at {violation['nodes']}")
    return problems


def test_every_page_passes_axe_in_both_languages_widths_and_schemes(chromium, stack, axe_source):
    # Translated at once by the in-process queue: its page shows the preview, two pages of it.
    user, (task,) = user_with_tasks(1, lines=25)
    assert ProcessingTask.objects.get(pk=task.pk).status == "completed" and Notification.objects.exists()
    waiting = ProcessingTask.objects.create(  # the external engine's deadline on its page
        user=user, engine="external", source_lang="zh-Hans", target_lang="zh-Hant", format="txt",
        filename="waiting.txt", original="originals/none.txt", status="waiting_external",
        message_code="waiting_external", deadline_at=timezone.now() + timedelta(hours=1))
    get_user_model().objects.filter(pk=user.pk).update(email="mei@example.com")
    # The credits page with its chart and a pot that expires (the ledger has the task's rows too).
    grant(user_id=user.pk, amount=250, reason="spring", expires_at=timezone.now() + timedelta(days=20))
    base = stack["start_web"]()
    cookie = _session_cookie(user)
    problems: list[str] = []
    for language in ("en-US", "zh-CN"):
        for scheme in ("light", "dark"):
            for phone in (False, True):
                context = chromium.new_context(locale=language, color_scheme=scheme, reduced_motion="reduce",
                                               viewport={"width": 390, "height": 844} if phone else
                                               {"width": 1280, "height": 900})
                context.set_default_timeout(15000)
                context.route(base + AXE_PATH, lambda route: route.fulfill(
                    status=200, body=axe_source, content_type="application/javascript"))
                page = context.new_page()
                label = f"[{language} {scheme} {'phone' if phone else 'desktop'}] "
                problems += [label + p for p in
                             (problem for path in ANONYMOUS_PAGES
                              for problem in _check(page, base, path, axe_source, phone=phone))]
                context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
                for path in SIGNED_IN_PAGES:
                    shown = path.format(task=task.pk, waiting=waiting.pk)
                    problems += [label + p for p in _check(page, base, shown, axe_source, phone=phone)]
                if not phone:
                    page.goto(base + "/")
                    save_screenshot(page, f"dashboard-{language[:2]}-{scheme}.png")
                else:
                    page.goto(base + "/tasks/")
                    save_screenshot(page, f"tasks-{language[:2]}-{scheme}-phone.png")
                context.close()
    assert problems == [], "\n".join(problems)
