"""The API docs in a real browser with no network beyond this server: Swagger UI and Redoc
render the whole API from static/ (drf-spectacular-sidecar)."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def offline(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Abort every request to another host; return what was refused."""
    refused: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith(base):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_swagger_ui_and_redoc_work_with_no_network(page, stack):
    base = stack["start_web"]()
    refused = offline(page, base)
    page.goto(base + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 20  # every operation, streams included
    assert page.get_by_text("/api/v1/tasks/{task_id}/result/").first.is_visible()
    assert page.get_by_text("/sse/tasks/{task_id}/").first.is_visible()
    page.goto(base + "/api/redoc/")
    page.get_by_role("heading", name="ZhiYi API").first.wait_for()
    page.get_by_text("Follow one task").first.wait_for(state="attached")  # in the (collapsed) menu
    # Redoc's bundle always asks for its vendor's logo (an <img> it drops when that fails); nothing
    # the page needs comes from elsewhere.
    assert [url for url in refused if not url.endswith("/redoc/logo-mini.svg")] == []
