"""Account pages in a real browser under the site's Content-Security-Policy: no page breaks a
rule (chromium reports each violation), the progress bar is drawn without inline styles, and an
API key is made, shown once and revoked through the page."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import ApiKey
from credits.services import get_or_create_account
from tasks.models import ProcessingTask
from tests.e2e.support import log_in, save_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + location.pathname));
"""


def _task(user, **fields) -> ProcessingTask:  # type: ignore[no-untyped-def]
    return ProcessingTask.objects.create(user=user, engine="opencc", source_lang="zh-Hans", target_lang="zh-Hant",
                                         format="txt", filename="letter.txt", original="originals/none.txt", **fields)


def _bar_share(page) -> float:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => {
      const bar = document.querySelector('[data-progress] .bar'), track = document.querySelector('[data-progress] .track');
      return bar.getBoundingClientRect().width / track.getBoundingClientRect().width; }""")


def test_the_pages_keep_the_policy_and_keys_are_managed_through_the_page(page, stack):
    user = get_user_model().objects.create_user("kai", password="pw-Secret-123", email="kai@example.com")
    get_or_create_account(user_id=user.pk)
    running = _task(user, status="processing", progress=40, version=2)
    done = _task(user, status="completed", progress=100, version=5)
    page.context.add_init_script(RECORD_VIOLATIONS)
    violations: list[str] = []
    base = stack["start_web"]()
    log_in(page, base, "kai")
    for path in ("/", "/tasks/", f"/tasks/{running.pk}/", f"/tasks/{done.pk}/", "/credits/", "/notifications/",
                 "/accounts/settings/", "/accounts/password/", "/api/docs/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        if path == f"/tasks/{running.pk}/":
            assert abs(_bar_share(page) - 0.40) < 0.02  # drawn by the stylesheet, from aria-valuenow
        if path == f"/tasks/{done.pk}/":
            assert abs(_bar_share(page) - 1.0) < 0.02
        if path != "/api/docs/":  # Swagger UI comes from its CDN, which this machine cannot reach
            violations += page.evaluate("window.__csp")

    page.goto(base + "/accounts/keys/")
    page.get_by_label("Name").fill("CI pipeline")
    page.get_by_label("Translate: quotes and tasks").check()
    page.get_by_label("Expires").select_option("30")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-key-secret").input_value()
    key = ApiKey.objects.get(user=user)
    assert secret.startswith(key.prefix + ".") and key.scopes == ["translate"] and key.expiry_date is not None
    page.get_by_role("button", name="Copy").wait_for(state="visible", timeout=15000)  # the page script ran
    save_screenshot(page, "api-keys.png")
    violations += page.evaluate("window.__csp")

    page.reload()  # resubmits the form: no second key, and the secret is not shown again
    assert page.locator("#new-key-secret").count() == 0 and ApiKey.objects.filter(user=user).count() == 1
    assert "already made" in page.locator(".messages").inner_text()
    assert page.locator(f"tr[data-prefix='{key.prefix}']").inner_text().count("CI pipeline") == 1
    page.locator(f"tr[data-prefix='{key.prefix}']").get_by_role("button", name="Revoke").click()
    page.locator(f"tr[data-prefix='{key.prefix}']").filter(has_text="revoked").wait_for()
    key.refresh_from_db()
    assert key.revoked
    violations += page.evaluate("window.__csp")
    assert violations == []
