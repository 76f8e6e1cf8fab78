"""The new-translation form's glossary: upload one from the page, choose it, and it applies."""
from __future__ import annotations

import pytest

from memory.models import Glossary
from tasks.models import ProcessingTask
from tests.helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def test_a_glossary_uploaded_on_the_page_is_offered_and_applied(browser, user, django_capture_on_commit_callbacks):
    response = browser.post("/glossaries/upload/", {"glossary_file": upload("发展,發展（fazhan）\n", "terms.csv"),
                                                    "name": "Terms"}, follow=True)
    assert "Terms" in response.content.decode() and "1 terms" in response.content.decode()
    glossary = Glossary.objects.get(user=user)
    page = browser.get("/").content.decode()
    assert 'id="glossary"' in page and f'value="{glossary.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/", {"file": upload("中文的发展。\n"), "engine": "opencc", "source_lang": "zh-Hans",
                           "target_lang": "zh-Hant", "glossary": str(glossary.pk)})
    task = ProcessingTask.objects.get(user=user)
    assert task.options == {"glossary_id": glossary.pk}
    assert task.result.read().decode() == "中文的發展（fazhan）。\n"


def test_a_bad_glossary_file_is_explained_and_nothing_is_saved(browser, user):
    response = browser.post("/glossaries/upload/", {"glossary_file": upload("one column only\n", "bad.csv")},
                            follow=True)
    assert "two columns" in response.content.decode()
    assert not Glossary.objects.exists()
    assert 'id="glossary"' not in browser.get("/").content.decode()  # nothing to choose from
