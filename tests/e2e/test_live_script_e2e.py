"""The live script against the SSE contract, with the stream answered by the browser test itself
(Playwright intercepts /sse/...): stale versions are dropped, a terminal status closes the
stream, a dropped stream shows "reconnecting" and catches up, a list page uses one stream.
Runs without the SSE endpoints and without a worker (the tasks stay queued in the database)."""
from __future__ import annotations

import json

import pytest

from tests.e2e.support import log_in, user_with_tasks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


# Records every value the progress bar takes, from before the page's own script runs.
RECORD_PROGRESS = """
window.__seen = [];
window.__sources = [];
const NativeEventSource = window.EventSource;
window.EventSource = function (url, options) {
  const source = new NativeEventSource(url, options);
  window.__sources.push(source);
  return source;
};
window.EventSource.prototype = NativeEventSource.prototype;
Object.assign(window.EventSource, {CONNECTING: 0, OPEN: 1, CLOSED: 2});
document.addEventListener('DOMContentLoaded', () => {
  const bar = document.querySelector('[data-progress]');
  if (bar) new MutationObserver(() => window.__seen.push(Number(bar.getAttribute('aria-valuenow'))))
    .observe(bar, {attributes: true, attributeFilter: ['aria-valuenow']});
});
"""


def sse(*events: dict, retry_ms: int = 200) -> str:
    out = [f"retry: {retry_ms}\n\n"]
    for event in events:
        out.append(f"id: {event['version']}\nevent: status\ndata: {json.dumps(event)}\n\n")
    return "".join(out)


def status(task, version: int, state: str, progress: int, message: str = "", **extra) -> dict:  # type: ignore[no-untyped-def]
    return {"taskId": task.pk, "status": state, "progress": progress, "message": message, "version": version,
            "resultUrl": f"/api/v1/tasks/{task.pk}/result/" if state == "completed" else None,
            "error": None, **extra}


def fulfil(route, body: str) -> None:  # type: ignore[no-untyped-def]
    route.fulfill(status=200, headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}, body=body)


def test_stale_events_are_dropped_and_a_terminal_status_closes_the_stream(page, stack, real_queue):
    user, (task,) = user_with_tasks(1, lines=5)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    requests: list[str] = []

    def answer(route):  # type: ignore[no-untyped-def]
        requests.append(route.request.url)
        fulfil(route, sse(status(task, 3, "processing", 30, "Translating 3 / 10 segments"),
                          status(task, 2, "processing", 10, "stale"),
                          status(task, 4, "processing", 60, "Translating 6 / 10 segments"),
                          status(task, 6, "completed", 100, "Done")))

    page.route(f"**/sse/tasks/{task.pk}/", answer)
    page.route("**/sse/notifications/", lambda route: route.abort())
    page.add_init_script(RECORD_PROGRESS)
    page.goto(f"{base}/tasks/{task.pk}/")
    page.locator("#task-status").filter(has_text="Completed").wait_for()
    assert page.evaluate("window.__seen") == [30, 60, 100]  # version 2 (10 %) came late: dropped
    assert page.locator("[data-progress]").get_attribute("aria-valuenow") == "100"
    assert page.locator("#task-message").inner_text() == "Done"
    assert page.locator("#download").is_visible() and page.locator("#cancel-form").is_hidden()
    assert page.locator("#task").get_attribute("data-version") == "6"
    # The page closed the task's EventSource (a closed one never reconnects), and opened no other.
    task_sources = f"window.__sources.filter(s => s.url.includes('/sse/tasks/{task.pk}/'))"
    assert page.evaluate(f"{task_sources}.map(s => s.readyState)") == [2]
    assert len(requests) == 1


def test_a_dropped_stream_says_reconnecting_and_catches_up(page, stack, real_queue):
    user, (task,) = user_with_tasks(1, lines=5)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    attempts: list[int] = []

    def answer(route):  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1:
            route.abort("connectionrefused")  # the web server is gone
        else:
            fulfil(route, sse(status(task, 5, "processing", 40, "Translating 4 / 10 segments")))

    page.route(f"**/sse/tasks/{task.pk}/", answer)
    page.route("**/sse/notifications/", lambda route: route.abort())
    page.goto(f"{base}/tasks/{task.pk}/")
    page.locator("#conn").filter(has_text="reconnecting").wait_for()
    page.locator('[data-progress][aria-valuenow="40"]').wait_for()
    assert page.locator("#task-message").inner_text() == "Translating 4 / 10 segments"
    assert len(attempts) >= 2


def test_a_list_page_follows_all_rows_over_one_stream(page, stack, real_queue):
    user, tasks = user_with_tasks(3, lines=5)
    base = stack["start_web"]()
    log_in(page, base, "mei")
    body = sse(*[status(t, 2 + n, "processing", 20 * (n + 1)) for n, t in enumerate(tasks)],
               status(tasks[0], 9, "completed", 100))
    page.route("**/sse/tasks/", lambda route: fulfil(route, body))
    page.route("**/sse/notifications/", lambda route: route.abort())
    page.goto(base + "/tasks/")
    page.locator(f'tr[data-task-id="{tasks[0].pk}"] [data-status-label]').filter(has_text="Completed").wait_for()
    for n, task in enumerate(tasks[1:], start=1):
        assert page.locator(f'tr[data-task-id="{task.pk}"] [data-progress]').get_attribute("aria-valuenow") == str(
            20 * (n + 1))
    assert [s for s in page.evaluate("window.__streams") if "/sse/tasks" in s] == ["/sse/tasks/"]


def test_the_bell_counts_new_notifications_from_the_stream(page, stack):
    from django.contrib.auth import get_user_model

    from notifications.services import notify

    user = get_user_model().objects.create_user("mei", password="pw-Secret-123")
    old = notify(user_id=user.pk, kind="system", title="Already here")
    base = stack["start_web"]()
    log_in(page, base, "mei")

    def event(n: int, title: str) -> str:
        data = {"id": n, "kind": "task_completed", "title": title, "body": "", "url": "/tasks/",
                "createdAt": "2026-01-01T00:00:00Z"}
        return f"id: {n}\nevent: notification\ndata: {json.dumps(data)}\n\n"

    # A replay of the known unread one, then a new one (sent twice, as after a reconnect).
    body = "retry: 60000\n\n" + event(old.pk, "Already here") + event(old.pk + 1, "Translated: a.txt") * 2
    page.route("**/sse/notifications/", lambda route: route.fulfill(
        status=200, headers={"Content-Type": "text/event-stream"}, body=body))
    page.goto(base + "/credits/")
    page.locator(".toast").filter(has_text="Translated: a.txt").wait_for()
    assert page.locator("#bell-count").inner_text() == "2"
