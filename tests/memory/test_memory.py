"""Translation memory (no segment paid twice) and glossaries, through the API and the worker."""
from __future__ import annotations

import pytest

from credits.selectors import balance_of, find_breaches
from memory.models import MemoryEntry
from tasks import processor
from tasks.engines.base import EngineError
from tasks.engines.opencc import OpenCCEngine
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db

TEXT = "".join(f"第{i}段简体中文的发展内容。\n" for i in range(40))


def quote(api, text=TEXT, **extra):
    return api.post("/api/quote/", {"file": upload(text), "engine": "opencc", "source_lang": "zh-Hans",
                                    "target_lang": "zh-Hant", **extra}, format="multipart").json()


def create(api, text=TEXT, **extra):
    response = api.post("/api/tasks/", {"file": upload(text), "engine": "opencc", "source_lang": "zh-Hans",
                                        "target_lang": "zh-Hant", **extra}, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_a_second_identical_task_comes_from_memory_and_pays_the_minimum(api, user, settings):
    settings.ZHIYI_RATES = {**settings.ZHIYI_RATES, "opencc": 100}
    settings.ZHIYI_MIN_CHARGE = 1
    first_quote = quote(api)
    assert first_quote["memory_characters"] == 0 and first_quote["cost"] > 1
    processor.run_task(create(api))
    second_quote = quote(api)
    assert second_quote["characters"] == first_quote["characters"]
    assert second_quote["memory_characters"] == second_quote["characters"]
    assert second_quote["billed_characters"] == 0 and second_quote["cost"] == 1
    assert first_quote["memory_points"] == 0 and first_quote["rate_per_1000"] == 100
    assert second_quote["memory_points"] == first_quote["cost"] - 1  # the minimum charge is still paid
    task_id = create(api)
    processor.run_task(task_id)
    task = api.get(f"/api/tasks/{task_id}/").json()
    assert (task["status"], task["cost"], task["charged"]) == ("completed", 1, 1)
    assert find_breaches() == []


def test_a_retried_task_sends_only_what_failed_and_pays_only_for_that(api, user, settings, monkeypatch):
    settings.ZHIYI_BATCH_CHARS = 100
    settings.ZHIYI_RATES = {**settings.ZHIYI_RATES, "opencc": 100}
    sent: list[str] = []
    real = OpenCCEngine.translate

    def flaky(self, segments, source, target):
        if len(sent) >= 20:
            raise EngineError("The engine went away.")
        sent.extend(segments)
        return real(self, segments, source, target)

    monkeypatch.setattr(OpenCCEngine, "translate", flaky)
    task_id = create(api)
    processor.run_task(task_id)
    assert api.get(f"/api/tasks/{task_id}/").json()["status"] == "failed"
    done_before = len(sent)
    assert 20 <= done_before < 40
    assert MemoryEntry.objects.filter(user=user).count() == done_before

    monkeypatch.setattr(OpenCCEngine, "translate", real)
    counted: list[str] = []
    monkeypatch.setattr(OpenCCEngine, "translate", lambda self, s, a, b: (counted.extend(s), real(self, s, a, b))[1])
    expected = quote(api)  # a retry is priced like a new task: only what memory lacks
    assert 0 < expected["billed_characters"] < expected["characters"]
    retried = api.post(f"/api/tasks/{task_id}/retry/").json()
    assert retried["cost"] == expected["cost"]
    processor.run_task(task_id)
    task = api.get(f"/api/tasks/{task_id}/").json()
    assert task["status"] == "completed"
    assert len(counted) == 40 - done_before  # only the rest went to the engine
    assert task["charged"] <= task["cost"]
    assert find_breaches() == []


def test_clearing_the_memory_makes_the_engine_translate_again(api, user):
    processor.run_task(create(api))
    assert api.get("/api/memory/").json()["segments"] == 40
    assert api.delete("/api/memory/").json()["deleted"] == 40
    assert quote(api)["memory_characters"] == 0


def test_a_glossary_term_is_put_in_place_in_the_translation(api, user):
    csv = "source,target\n发展,發展（fazhan）\n".encode()
    glossary = api.post("/api/glossaries/", {"file": upload(csv, "terms.csv"), "name": "Terms"},
                        format="multipart").json()
    assert glossary["terms"] == 1
    task_id = create(api, "中文的发展很快。\n", glossary=glossary["id"])
    processor.run_task(task_id)
    result = ProcessingTask.objects.get(pk=task_id).result.read().decode()
    assert result == "中文的發展（fazhan）很快。\n"
    assert [g["name"] for g in api.get("/api/glossaries/").json()["results"]] == ["Terms"]


def test_a_bad_glossary_file_is_refused_clearly(api):
    response = api.post("/api/glossaries/", {"file": upload("only one column\n", "bad.csv")}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "invalid_glossary"
    assert "two columns" in response.json()["detail"]


def test_another_users_glossary_cannot_be_used(api, user, other_user, settings):
    from memory.services import create_glossary

    theirs = create_glossary(user_id=other_user.pk, name="x", data=b"a,b\n")
    response = api.post("/api/tasks/", {"file": upload(TEXT), "engine": "opencc", "source_lang": "zh-Hans",
                                        "target_lang": "zh-Hant", "glossary": theirs.pk}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "invalid_glossary"
    assert api.delete(f"/api/glossaries/{theirs.pk}/").status_code == 404
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS
