"""GET /api/formats/: the catalogue of formats, the same one the upload form and the 415 answer use."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from tasks import documents
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_every_format_is_listed_with_its_extensions_and_outputs(api):
    response = api.get("/api/formats/")
    assert response.status_code == 200
    rows = {row["format"]: row for row in response.json()}
    assert set(rows) == set(documents.HANDLERS)
    assert sorted(ext for row in rows.values() for ext in row["extensions"]) == documents.supported_extensions()
    assert [o["extension"] for o in rows["pdf"]["outputs"]] == ["pdf", "docx"] and rows["pdf"]["layout_note"]
    assert rows["docx"]["bilingual"] is True and rows["po"]["bilingual"] is False
    assert all(row["kept"] and row["label"] and row["outputs"] for row in rows.values())


def test_the_catalogue_speaks_the_readers_language(api):
    response = api.get("/api/formats/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    docx = next(row for row in response.json() if row["format"] == "docx")
    assert re.search(r"[\u4e00-\u9fff]", docx["label"] + docx["kept"]), docx


def test_an_unlisted_type_is_refused_with_415_naming_every_listed_extension(api):
    listed = {ext for row in api.get("/api/formats/").json() for ext in row["extensions"]}
    response = api.post("/api/quote/", {"file": upload(b"\x00\x01", "drawing.dwg"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_format"
    named = set(re.findall(r"\.(\w[\w-]*)", response.json()["detail"])) - {"dwg"}
    assert named == listed


def test_the_upload_form_accepts_exactly_the_listed_extensions(api, user):
    listed = {"." + ext for row in api.get("/api/formats/").json() for ext in row["extensions"]}
    browser = Client()
    browser.force_login(user)
    page = browser.get("/").content.decode()
    accept = re.search(r'id="file" name="file" accept="([^"]*)"', page).group(1)
    assert set(accept.split(",")) == listed | {".zip"}  # a zip of documents makes a job


def test_the_catalogue_needs_a_signed_in_caller():
    assert Client().get("/api/formats/").status_code in (401, 403)
