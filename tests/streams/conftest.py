from __future__ import annotations

from functools import partial

import pytest

from tests.servers import web_server as start_web_server


@pytest.fixture(params=["daphne", "uvicorn"])
def web_server(request):  # type: ignore[no-untyped-def]
    """Start the platform under each ASGI server it supports: the same tests run against both."""
    return partial(start_web_server, request.param)
