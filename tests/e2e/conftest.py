"""Browser tests: a real daphne and (where needed) a real qcluster on the SQLite test database,
driven by Debian's chromium through Playwright. Skipped on PostgreSQL and where chromium or
playwright is missing."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.helpers import is_postgres
from tests.servers import daphne_server, qcluster_worker

CHROMIUM = "/usr/bin/chromium"
SLOWDOWN = Path(__file__).resolve().parent / "slowdown"
ROOT = Path(__file__).resolve().parent.parent.parent

# Counts EventSource constructions by URL (window.__streams), before any page script runs.
COUNT_STREAMS = """
(() => {
  const Original = window.EventSource;
  window.__streams = [];
  window.EventSource = function (url, init) {
    window.__streams.push(String(url));
    return new Original(url, init);
  };
  window.EventSource.prototype = Original.prototype;
  Object.assign(window.EventSource, {CONNECTING: 0, OPEN: 1, CLOSED: 2});
})();
"""


@pytest.fixture(autouse=True)
def _e2e_only_on_sqlite():
    if is_postgres():
        pytest.skip("browser tests run on SQLite only")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def chromium(django_db_setup, django_db_blocker) -> Iterator[object]:
    """One browser per test module. Playwright's sync API keeps an asyncio loop running in this
    thread, which makes Django refuse ORM calls; the tests use the ORM only between browser
    steps, so that guard is lifted while the browser lives (and restored afterwards)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() or is_postgres():
        pytest.skip("browser tests need chromium and run on SQLite only")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium):  # type: ignore[no-untyped-def]
    context = chromium.new_context(locale="en-US", viewport={"width": 1200, "height": 900},
                                   reduced_motion="reduce")  # no bar animation: steady screenshots
    context.add_init_script(COUNT_STREAMS)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def server_env(**extra: str) -> dict[str, str]:
    """Settings for the child processes: static files from the source folders (DEBUG), small
    batches and fast progress so a task is visibly in motion for a few seconds."""
    env = {
        "DEBUG": "1",
        "ZHIYI_BATCH_CHARS": "100",
        "ZHIYI_PROGRESS_INTERVAL_S": "0.05",
        "ZHIYI_SQLITE_POLL_S": "0.1",
        "ZHIYI_SSE_RETRY_MS": "500",
        "ZHIYI_Q_WORKERS": "3",
        "PYTHONPATH": os.pathsep.join([str(SLOWDOWN), str(ROOT)]),
    }
    env.update(extra)
    return env


@pytest.fixture
def stack(tmp_path) -> Iterator[dict]:
    """Start servers on demand: stack["start_web"](), stack["stop_web"](),
    stack["start_worker"](delay=seconds per segment). Everything stops when the test ends."""
    with ExitStack() as exits:
        state: dict = {"exits": exits, "web": None}

        def start_web(port: int | None = None, **env: str) -> str:
            web = ExitStack()
            exits.callback(web.close)
            log = tmp_path / f"daphne-{port or 'auto'}-{len(list(tmp_path.glob('daphne-*')))}.log"
            base = web.enter_context(daphne_server(port=port, log_path=log, **server_env(**env)))
            state["base"], state["web"] = base, web
            return base

        def stop_web() -> None:
            state["web"].close()

        def start_worker(delay: float = 0.0, **env: str) -> None:
            exits.enter_context(qcluster_worker(log_path=tmp_path / "qcluster.log",
                                                **server_env(ZHIYI_E2E_SEGMENT_DELAY_S=str(delay), **env)))

        state["start_web"] = start_web
        state["stop_web"] = stop_web
        state["start_worker"] = start_worker
        yield state
