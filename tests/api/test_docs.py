"""The API docs (Swagger UI, Redoc) are served from static/: nothing is loaded from another host."""
from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/docs/", "/api/v1/docs/", "/api/redoc/"])
def test_the_docs_pages_load_only_local_assets(api, path):
    response = api.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "an asset from another host"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    scripts = [a for a in assets if a.endswith(".js")]
    assert scripts, html
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    # The schema's URL is in the page, or in the start-up script the page loads from its own view.
    started = "".join(api.get(a).content.decode() for a in assets if "?script" in a)
    assert "/api/schema/" in html + started or "/api/v1/schema/" in html + started


def test_the_schema_is_served_as_json_and_yaml(api):
    assert api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["openapi"].startswith("3.1")
    assert api.get("/api/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")
